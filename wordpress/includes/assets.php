<?php
/**
 * The widgets' script: an ES module with its Subresource Integrity hash,
 * printed once, only on pages that show a widget.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The shipped bundle's integrity.json (written by the CDN build beside the
 * files): its version and each file's hash.
 *
 * @return array{version: string, integrity: string}
 */
function gym_live_checkins_bundle() {
	static $bundle = null;
	if ( null === $bundle ) {
		$bundle = array(
			'version'   => GYM_LIVE_CHECKINS_VERSION,
			'integrity' => '',
		);
		$file   = GYM_LIVE_CHECKINS_DIR . 'assets/integrity.json';
		$report = is_readable( $file ) ? wp_json_file_decode( $file, array( 'associative' => true ) ) : null;
		if ( is_array( $report ) ) {
			if ( isset( $report['version'] ) && is_string( $report['version'] ) ) {
				$bundle['version'] = $report['version'];
			}
			if ( isset( $report['files']['gym-realtime-widgets.js']['integrity'] ) && is_string( $report['files']['gym-realtime-widgets.js']['integrity'] ) ) {
				$bundle['integrity'] = $report['files']['gym-realtime-widgets.js']['integrity'];
			}
		}
	}
	return $bundle;
}

/**
 * The version of the widgets this plugin ships.
 *
 * @return string
 */
function gym_live_checkins_bundle_version() {
	$bundle = gym_live_checkins_bundle();
	return $bundle['version'];
}

/**
 * Registers the module: the plugin's own copy, or the CDN URL from the settings.
 */
function gym_live_checkins_register_script() {
	$bundle = gym_live_checkins_bundle();
	$custom = gym_live_checkins_settings()['script_src'];
	if ( '' !== $custom ) {
		// A CDN URL carries its version in its path: no query string.
		wp_register_script( GYM_LIVE_CHECKINS_SCRIPT, $custom, array(), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion
		return;
	}
	// The hash changes with the file even when the version does not (a rebuild): a cached
	// copy with another hash would fail its integrity check.
	$version = '' !== $bundle['integrity'] ? substr( md5( $bundle['integrity'] ), 0, 12 ) : GYM_LIVE_CHECKINS_VERSION;
	wp_register_script( GYM_LIVE_CHECKINS_SCRIPT, plugins_url( 'assets/gym-realtime-widgets.js', GYM_LIVE_CHECKINS_FILE ), array(), $version, true );
}
add_action( 'init', 'gym_live_checkins_register_script' );

/**
 * Loads the module on this page (once, however many widgets it shows).
 */
function gym_live_checkins_enqueue_script() {
	if ( ! wp_script_is( GYM_LIVE_CHECKINS_SCRIPT, 'registered' ) ) {
		gym_live_checkins_register_script();
	}
	wp_enqueue_script( GYM_LIVE_CHECKINS_SCRIPT );
}

/**
 * Prints the module as one. WordPress 6.1 prints every script without a type,
 * and the browser would stop at "Unexpected token 'export'".
 *
 * @param string $tag    The script tag WordPress made.
 * @param string $handle Its handle.
 * @param string $src    Its URL.
 * @return string
 */
function gym_live_checkins_script_tag( $tag, $handle, $src ) {
	if ( GYM_LIVE_CHECKINS_SCRIPT !== $handle ) {
		return $tag;
	}
	$integrity = gym_live_checkins_bundle()['integrity'];
	// crossorigin: integrity needs a CORS request when the file is on a CDN.
	return sprintf(
		'<script type="module" src="%1$s" id="%2$s"%3$s crossorigin="anonymous"></script>' . "\n", // phpcs:ignore WordPress.WP.EnqueuedResources.NonEnqueuedScript
		esc_url( $src ),
		esc_attr( $handle . '-js' ),
		'' !== $integrity ? ' integrity="' . esc_attr( $integrity ) . '"' : ''
	);
}
add_filter( 'script_loader_tag', 'gym_live_checkins_script_tag', 10, 3 );

/**
 * Loads the module when content holds the widgets' tags or data-gym-widget
 * blocks (pasted by an editor), leaving the content as it is.
 *
 * @param mixed $content Post, widget or block content.
 * @return mixed
 */
function gym_live_checkins_detect_widgets( $content ) {
	if ( is_string( $content ) && ( false !== stripos( $content, '<gym-' ) || false !== strpos( $content, 'data-gym-widget' ) ) ) {
		gym_live_checkins_enqueue_script();
	}
	return $content;
}
add_filter( 'the_content', 'gym_live_checkins_detect_widgets', 100 );
add_filter( 'widget_text_content', 'gym_live_checkins_detect_widgets', 100 );
add_filter( 'widget_block_content', 'gym_live_checkins_detect_widgets', 100 );

/**
 * Loads the module in the block editor, so the block's preview shows the real,
 * live widgets. (Not block.json's "script": WordPress 6.1 would load that on
 * every page of a classic theme.)
 */
function gym_live_checkins_editor_assets() {
	if ( is_admin() ) {
		gym_live_checkins_enqueue_script();
	}
}
add_action( 'enqueue_block_assets', 'gym_live_checkins_editor_assets' );
