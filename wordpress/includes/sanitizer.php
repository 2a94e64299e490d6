<?php
/**
 * Lets the widgets' tags through WordPress's HTML sanitizer (kses) for every
 * role, with exactly their attributes: for users without unfiltered_html
 * (Authors, Contributors; everyone under DISALLOW_UNFILTERED_HTML or on
 * multisite) WordPress would strip them on save. Script tags and event handler
 * attributes stay forbidden: kses drops whatever is not listed. For the same
 * users, the two addresses that receive a visitor's access token stay the
 * settings' ones.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The widgets' tags and attributes, generated from custom-elements.json when
 * the plugin is built (includes/allowed-html.php), so no attribute is forgotten.
 *
 * @return array<string, array<string, bool>>
 */
function gym_live_checkins_element_attributes() {
	static $elements = null;
	if ( null === $elements ) {
		$file     = GYM_LIVE_CHECKINS_DIR . 'includes/allowed-html.php';
		$elements = is_readable( $file ) ? require $file : array();
		if ( ! is_array( $elements ) ) {
			$elements = array();
		}
	}
	return $elements;
}

/**
 * Adds the widgets to the tags allowed in post content.
 *
 * @param mixed  $tags    Allowed tags and their attributes.
 * @param string $context The kses context.
 * @return mixed
 */
function gym_live_checkins_allowed_html( $tags, $context ) {
	if ( 'post' !== $context || ! is_array( $tags ) ) {
		return $tags;
	}
	// What WordPress allows on any element in a post, for styling the widgets' boxes.
	$common = array(
		'class' => true,
		'id'    => true,
		'style' => true,
		'title' => true,
	);
	foreach ( gym_live_checkins_element_attributes() as $tag => $attributes ) {
		$tags[ $tag ] = array_merge( $common, $attributes );
	}
	return $tags;
}
add_filter( 'wp_kses_allowed_html', 'gym_live_checkins_allowed_html', 10, 2 );

/**
 * The addresses a visitor's access token is sent to: the socket (in its URL)
 * and the history (as a bearer header), as the settings give them.
 *
 * @return array<string, string> Attribute name => allowed value ('' allows none).
 */
function gym_live_checkins_token_receivers() {
	$settings = gym_live_checkins_settings();
	return array(
		'url'         => $settings['socket_url'],
		'history-url' => $settings['history_url'],
	);
}

/**
 * Whether `$value`, written by a user without unfiltered_html, may receive tokens.
 *
 * @param string $value   A URL from a post.
 * @param string $allowed The settings' URL.
 * @return bool
 */
function gym_live_checkins_is_allowed_receiver( $value, $allowed ) {
	return '' !== $allowed && trim( html_entity_decode( $value, ENT_QUOTES, 'UTF-8' ) ) === $allowed;
}

/**
 * For users without unfiltered_html, keeps the socket and history URLs of the
 * widgets in a post to the settings' ones: otherwise an Author could send the
 * access tokens of signed-in visitors (from the site's token URL) to a server
 * of their own. Runs after kses on save, on pasted tags, data-gym-widget
 * blocks, the block's and the shortcode's overrides; other values are removed,
 * so the settings' apply.
 *
 * @param mixed $content Post content, slashed.
 * @return mixed
 */
function gym_live_checkins_pin_token_receivers( $content ) {
	if ( ! is_string( $content ) || current_user_can( 'unfiltered_html' ) ) {
		return $content;
	}
	$html   = wp_unslash( $content );
	$pinned = gym_live_checkins_pin_shortcodes( gym_live_checkins_pin_blocks( gym_live_checkins_pin_tags( $html ) ) );
	return $pinned === $html ? $content : wp_slash( $pinned );
}
add_filter( 'content_save_pre', 'gym_live_checkins_pin_token_receivers', 20 );

/**
 * Pins url and history-url on <gym-*> tags, and data-url and data-history-url
 * on data-gym-widget blocks. The HTML has been through kses, which writes
 * every attribute as name="value".
 *
 * @param string $html Post content.
 * @return string
 */
function gym_live_checkins_pin_tags( $html ) {
	if ( false === stripos( $html, '<gym-' ) && false === stripos( $html, 'data-gym-widget' ) ) {
		return $html;
	}
	return (string) preg_replace_callback(
		'/<(gym-[a-z0-9-]+|[a-z][a-z0-9]*(?=[^>]*\sdata-gym-widget[\s=>]))(\s[^>]*)>/i',
		static function ( $tag ) {
			$prefix     = 0 === stripos( $tag[1], 'gym-' ) ? '' : 'data-';
			$attributes = $tag[2];
			foreach ( gym_live_checkins_token_receivers() as $name => $allowed ) {
				$attributes = (string) preg_replace_callback(
					'/\s' . $prefix . $name . '="([^"]*)"/i',
					static function ( $attribute ) use ( $allowed ) {
						return gym_live_checkins_is_allowed_receiver( $attribute[1], $allowed ) ? $attribute[0] : '';
					},
					$attributes
				);
			}
			return '<' . $tag[1] . $attributes . '>';
		},
		$html
	);
}

/**
 * Pins the block's socketUrl and historyUrl overrides.
 *
 * @param string $html Post content.
 * @return string
 */
function gym_live_checkins_pin_blocks( $html ) {
	if ( false === strpos( $html, 'wp:gym-realtime-widgets/live-checkins' ) ) {
		return $html;
	}
	return (string) preg_replace_callback(
		'#<!--\s+wp:gym-realtime-widgets/live-checkins\s+(\{.*?\})\s+(/?)-->#s',
		static function ( $block ) {
			$attributes = json_decode( $block[1], true );
			if ( ! is_array( $attributes ) ) {
				return $block[0];
			}
			$receivers = gym_live_checkins_token_receivers();
			$changed   = false;
			foreach ( array(
				'socketUrl'  => 'url',
				'historyUrl' => 'history-url',
			) as $key => $receiver ) {
				if ( isset( $attributes[ $key ] ) && '' !== $attributes[ $key ] && ( ! is_string( $attributes[ $key ] ) || ! gym_live_checkins_is_allowed_receiver( $attributes[ $key ], $receivers[ $receiver ] ) ) ) {
					unset( $attributes[ $key ] );
					$changed = true;
				}
			}
			if ( ! $changed ) {
				return $block[0];
			}
			return '<!-- wp:gym-realtime-widgets/live-checkins ' . ( $attributes ? serialize_block_attributes( $attributes ) . ' ' : '' ) . $block[2] . '-->';
		},
		$html
	);
}

/**
 * Pins the shortcode's url and history_url.
 *
 * @param string $html Post content.
 * @return string
 */
function gym_live_checkins_pin_shortcodes( $html ) {
	if ( false === strpos( $html, '[gym_live_checkins' ) ) {
		return $html;
	}
	return (string) preg_replace_callback(
		'/' . get_shortcode_regex( array( 'gym_live_checkins' ) ) . '/',
		static function ( $shortcode ) {
			$atts = shortcode_parse_atts( $shortcode[3] );
			// [[gym_live_checkins]] is the shortcode's text, not the shortcode.
			if ( ( '[' === $shortcode[1] && ']' === $shortcode[6] ) || ! is_array( $atts ) ) {
				return $shortcode[0];
			}
			$receivers = gym_live_checkins_token_receivers();
			$changed   = false;
			foreach ( array(
				'url'         => 'url',
				'history_url' => 'history-url',
			) as $key => $receiver ) {
				if ( isset( $atts[ $key ] ) && ! gym_live_checkins_is_allowed_receiver( $atts[ $key ], $receivers[ $receiver ] ) ) {
					unset( $atts[ $key ] );
					$changed = true;
				}
			}
			if ( ! $changed ) {
				return $shortcode[0];
			}
			$rebuilt = '';
			foreach ( $atts as $name => $value ) {
				$quote    = false === strpos( $value, '"' ) ? '"' : "'";
				$rebuilt .= is_int( $name ) ? ' ' . $value : ' ' . $name . '=' . $quote . $value . $quote;
			}
			// The opening tag's attributes change; its closing part and any enclosed content stay.
			$head = $shortcode[1] . '[' . $shortcode[2] . $shortcode[3];
			return $shortcode[1] . '[' . $shortcode[2] . $rebuilt . substr( $shortcode[0], strlen( $head ) );
		},
		$html
	);
}
