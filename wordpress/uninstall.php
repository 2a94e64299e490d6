<?php
/**
 * Removes the plugin's settings when it is deleted from the Plugins screen,
 * and the values a refused save kept for the settings page (transients).
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

/**
 * Removes the settings and the kept values of the current site.
 * Kept here rather than loaded from the plugin: uninstalling runs none of its files.
 */
function gym_live_checkins_uninstall_site() {
	global $wpdb;
	delete_option( 'gym_live_checkins_settings' );
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( '_transient_gym_live_checkins_rejected_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_gym_live_checkins_rejected_' ) . '%'
		)
	);
}

if ( is_multisite() ) {
	$gym_live_checkins_sites = get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	);
	foreach ( $gym_live_checkins_sites as $gym_live_checkins_site ) {
		switch_to_blog( (int) $gym_live_checkins_site );
		gym_live_checkins_uninstall_site();
		restore_current_blog();
	}
} else {
	gym_live_checkins_uninstall_site();
}
