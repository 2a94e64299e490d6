<?php
/**
 * Removes the plugin's settings when it is deleted from the Plugins screen.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

// Kept here rather than loaded from the plugin: uninstalling runs none of its files.
$gym_live_checkins_option = 'gym_live_checkins_settings';

if ( is_multisite() ) {
	$gym_live_checkins_sites = get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	);
	foreach ( $gym_live_checkins_sites as $gym_live_checkins_site ) {
		delete_blog_option( (int) $gym_live_checkins_site, $gym_live_checkins_option );
	}
} else {
	delete_option( $gym_live_checkins_option );
}
