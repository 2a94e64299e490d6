<?php
/**
 * Plugin Name:       Gym live check-ins
 * Description:       Shows a gym's check-ins live: a "Live check-ins" block, the [gym_live_checkins] shortcode, and the gym-realtime-widgets elements in posts for every role.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            gym-realtime-widgets contributors
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       gym-realtime-widgets
 * Domain Path:       /languages
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'GYM_LIVE_CHECKINS_VERSION', '0.1.0' );
define( 'GYM_LIVE_CHECKINS_FILE', __FILE__ );
define( 'GYM_LIVE_CHECKINS_DIR', plugin_dir_path( __FILE__ ) );
/** The one option holding the settings (removed by uninstall.php). */
define( 'GYM_LIVE_CHECKINS_OPTION', 'gym_live_checkins_settings' );
/** Handle of the widgets' ES module. */
define( 'GYM_LIVE_CHECKINS_SCRIPT', 'gym-live-checkins' );

require_once GYM_LIVE_CHECKINS_DIR . 'includes/settings.php';
require_once GYM_LIVE_CHECKINS_DIR . 'includes/assets.php';
require_once GYM_LIVE_CHECKINS_DIR . 'includes/policy.php';
require_once GYM_LIVE_CHECKINS_DIR . 'includes/html.php';
require_once GYM_LIVE_CHECKINS_DIR . 'includes/sanitizer.php';
require_once GYM_LIVE_CHECKINS_DIR . 'includes/render.php';

/**
 * Loads the plugin's translations (for copies not installed from the plugin directory).
 */
function gym_live_checkins_load_textdomain() {
	load_plugin_textdomain( 'gym-realtime-widgets', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );
}
add_action( 'init', 'gym_live_checkins_load_textdomain' );
