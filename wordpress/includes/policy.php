<?php
/**
 * The page's connection policy: where the widgets may send a visitor's access
 * token. Printed from the settings in every page's <head>, which no post's
 * author can write to:
 *
 *     <meta name="gym-realtime-policy" content="https://gym.example">
 *
 * The widgets' script reads it before any connection and refuses to send a
 * token (to a socket, a history or a member search) anywhere else, or to take
 * one from a token URL on another origin: whatever URL a post gives them.
 * "none" when no token URL is set: then no token is sent at all (a public
 * site connects through the gateway without one).
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * A URL's origin as the policy writes it: scheme, host and any port that is
 * not the default, with ws:// counted as http:// and wss:// as https:// (a
 * socket and the REST API beside it are one server); '' for a path or
 * anything else.
 *
 * @param string $url An absolute URL.
 * @return string
 */
function gym_live_checkins_origin( $url ) {
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
		return '';
	}
	$schemes = array(
		'http'  => 'http',
		'ws'    => 'http',
		'https' => 'https',
		'wss'   => 'https',
	);
	$scheme  = strtolower( $parts['scheme'] );
	if ( ! isset( $schemes[ $scheme ] ) ) {
		return '';
	}
	$scheme  = $schemes[ $scheme ];
	$default = 'https' === $scheme ? 443 : 80;
	$port    = isset( $parts['port'] ) && (int) $parts['port'] !== $default ? ':' . (int) $parts['port'] : '';
	return $scheme . '://' . strtolower( $parts['host'] ) . $port;
}

/**
 * The origins that may receive a visitor's token: those of the settings'
 * socket, token, history, member search and visits URLs. Empty when no token
 * URL is set: no token may go anywhere.
 *
 * @return string[]
 */
function gym_live_checkins_policy_origins() {
	$settings = gym_live_checkins_settings();
	if ( '' === $settings['token_url'] ) {
		return array();
	}
	$origins = array();
	foreach ( array( 'socket_url', 'token_url', 'history_url', 'search_url', 'visits_url' ) as $key ) {
		$origin = '' !== $settings[ $key ] ? gym_live_checkins_origin( $settings[ $key ] ) : '';
		if ( '' !== $origin ) {
			$origins[] = $origin;
		}
	}
	/**
	 * Filters the origins the page lets receive visitors' access tokens.
	 * Add one for a block whose author (with unfiltered_html) connects it to another server.
	 *
	 * @param string[] $origins  Origins such as https://gym.example (an https origin also covers wss:// on it).
	 * @param array    $settings The plugin's settings.
	 */
	$origins = apply_filters( 'gym_live_checkins_policy_origins', $origins, $settings );
	$clean   = array();
	foreach ( is_array( $origins ) ? $origins : array() as $origin ) {
		$origin = is_string( $origin ) ? gym_live_checkins_origin( $origin ) : '';
		if ( '' !== $origin ) {
			$clean[] = $origin;
		}
	}
	return array_values( array_unique( $clean ) );
}

/**
 * The policy meta's content: the origins, or "none".
 *
 * @return string
 */
function gym_live_checkins_policy() {
	$origins = gym_live_checkins_policy_origins();
	return $origins ? implode( ' ', $origins ) : 'none';
}

/**
 * Prints the policy meta: in every front-end page's head (the widgets may be
 * on any of them, from a post, a widget area or a template), and in the
 * admin's, where the block editor shows the live widgets (js/editor-frame.js
 * copies it into the editor's iframes).
 */
function gym_live_checkins_print_policy() {
	echo '<meta name="gym-realtime-policy" content="' . esc_attr( gym_live_checkins_policy() ) . '" />' . "\n";
}
add_action( 'wp_head', 'gym_live_checkins_print_policy', 1 );
add_action( 'admin_head', 'gym_live_checkins_print_policy', 1 );
