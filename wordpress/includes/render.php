<?php
/**
 * The "Live check-ins" block and the [gym_live_checkins] shortcode: both
 * render the widgets' elements on the server, connected as the settings say.
 * Their own connection attributes count only in a post whose author may post
 * unfiltered HTML (see gym_live_checkins_is_block_trusted()).
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The feed's length when none is given: the widget's own default. */
const GYM_LIVE_CHECKINS_LIMIT = 5;
/** The longest feed offered. */
const GYM_LIVE_CHECKINS_MAX_LIMIT = 50;
/** How the feed may show names (its `names` attribute); '' leaves the widget's default. */
const GYM_LIVE_CHECKINS_NAMES = array( 'full', 'first', 'initials', 'none' );

/**
 * The widgets a block or shortcode can show, by name, in page order.
 *
 * @return array<string, string>
 */
function gym_live_checkins_widget_tags() {
	return array(
		'status' => 'gym-connection-status',
		'stats'  => 'gym-checkin-stats',
		'feed'   => 'gym-checkin-feed',
		'form'   => 'gym-checkin-form',
	);
}

/**
 * The URLs a block or shortcode connects with: the settings', or, when
 * `$trusted`, its own overrides where it gives valid ones.
 *
 * @param array<string, mixed> $args    Overrides: socket_url, token_url, history_url, search_url, visits_url.
 * @param bool                 $trusted Whether the overrides may count.
 * @return array<string, string>
 */
function gym_live_checkins_connection_urls( array $args, $trusted ) {
	$settings = gym_live_checkins_settings();
	$rules    = gym_live_checkins_url_rules();
	$urls     = array();
	foreach ( array( 'socket_url', 'token_url', 'history_url', 'search_url', 'visits_url' ) as $key ) {
		$override     = $trusted && isset( $args[ $key ] ) ? gym_live_checkins_clean_url( $args[ $key ], $rules[ $key ][0], $rules[ $key ][1] ) : '';
		$urls[ $key ] = '' !== $override ? $override : $settings[ $key ];
	}
	return $urls;
}

/**
 * Renders a provider holding the chosen widgets, and loads the script.
 *
 * @param array<string, mixed> $args    What to show, each key optional: widgets (names from
 *                                      gym_live_checkins_widget_tags()), limit (the feed's length),
 *                                      names (how the feed shows names), notify (the feed's pop-ups),
 *                                      heading (a heading above the widgets), theme (light, dark, auto;
 *                                      '' for the settings' default), socket_url, token_url, history_url,
 *                                      search_url, visits_url (override the settings, when `$trusted`).
 * @param bool                 $trusted Whether the connection overrides in `$args` may count.
 * @return string HTML.
 */
function gym_live_checkins_render( array $args, $trusted = false ) {
	// An excerpt shows the post's text only, a feed reader runs no script: no widget there.
	if ( gym_live_checkins_in_excerpt() || is_feed() ) {
		return '';
	}
	$settings = gym_live_checkins_settings();
	$rules    = gym_live_checkins_url_rules();
	$urls     = gym_live_checkins_connection_urls( $args, $trusted );

	if ( '' === $urls['socket_url'] ) {
		// Visitors see nothing; whoever edits sees why.
		if ( ! current_user_can( 'edit_posts' ) ) {
			return '';
		}
		return '<p class="gym-live-checkins-notice">' . esc_html__( 'Live check-ins are not set up yet: an administrator enters the socket URL in Settings → Live check-ins.', 'gym-realtime-widgets' ) . '</p>';
	}

	$theme = isset( $args['theme'] ) && in_array( $args['theme'], GYM_LIVE_CHECKINS_THEMES, true ) ? $args['theme'] : $settings['theme'];
	$limit = isset( $args['limit'] ) ? absint( $args['limit'] ) : GYM_LIVE_CHECKINS_LIMIT;
	$limit = max( 1, min( GYM_LIVE_CHECKINS_MAX_LIMIT, 0 === $limit ? GYM_LIVE_CHECKINS_LIMIT : $limit ) );
	$names = isset( $args['widgets'] ) && is_array( $args['widgets'] ) ? $args['widgets'] : array( 'status', 'stats', 'feed' );
	// The form finds members and checks them in with a staff token: without a token URL it cannot.
	if ( '' === $urls['token_url'] ) {
		$names = array_diff( $names, array( 'form' ) );
	}
	$shown = array_intersect( array_keys( gym_live_checkins_widget_tags() ), $names );
	if ( ! $shown ) {
		return '';
	}

	gym_live_checkins_enqueue_script();

	$provider = '<gym-realtime-provider url="' . gym_live_checkins_url_attribute( $urls['socket_url'], $rules['socket_url'][0] ) . '"';
	if ( '' !== $urls['token_url'] ) {
		$provider .= ' token-url="' . gym_live_checkins_url_attribute( $urls['token_url'], $rules['token_url'][0] ) . '"';
	}
	if ( '' !== $urls['history_url'] ) {
		$provider .= ' history-url="' . gym_live_checkins_url_attribute( $urls['history_url'], $rules['history_url'][0] ) . '"';
	}
	$provider .= ' theme="' . esc_attr( $theme ) . '">';
	if ( $trusted ) {
		// Its own addresses, from a trusted author: shown as they are (gym_live_checkins_pin_rendered()).
		gym_live_checkins_trusted_tags( $provider );
	}

	$html = '';
	if ( isset( $args['heading'] ) && is_string( $args['heading'] ) && '' !== trim( $args['heading'] ) ) {
		$html .= '<h2 class="gym-live-checkins-heading">' . esc_html( trim( $args['heading'] ) ) . '</h2>';
	}
	$html .= $provider . '<gym-error-boundary>';
	$first = true;
	// In page order, whatever order they were listed in; unknown names are ignored.
	foreach ( gym_live_checkins_widget_tags() as $name => $tag ) {
		if ( ! in_array( $name, $shown, true ) ) {
			continue;
		}
		$attributes = '';
		if ( 'feed' === $name ) {
			$attributes .= ' limit="' . esc_attr( (string) $limit ) . '"';
			if ( isset( $args['names'] ) && in_array( $args['names'], GYM_LIVE_CHECKINS_NAMES, true ) ) {
				$attributes .= ' names="' . esc_attr( $args['names'] ) . '"';
			}
			if ( ! empty( $args['notify'] ) ) {
				$attributes .= ' notify';
			}
		}
		if ( 'form' === $name ) {
			foreach ( array( 'search_url' => 'search-url', 'visits_url' => 'visits-url' ) as $key => $attribute ) {
				if ( '' !== $urls[ $key ] ) {
					$attributes .= ' ' . $attribute . '="' . gym_live_checkins_url_attribute( $urls[ $key ], $rules[ $key ][0] ) . '"';
				}
			}
			if ( $trusted ) {
				gym_live_checkins_trusted_tags( '<' . $tag . $attributes . '>' );
			}
		}
		// Until the script has defined the elements, the first one shows a line of text (they
		// have no slot: once defined, it is not shown). assets/fallback.js says when it failed.
		$fallback = $first ? gym_live_checkins_fallback_text() : '';
		$first    = false;
		$html    .= '<' . $tag . $attributes . '>' . $fallback . '</' . $tag . '>';
	}
	return $html . '</gym-error-boundary></gym-realtime-provider>';
}

/**
 * The line shown where the widgets go until the script has defined them.
 *
 * @return string HTML.
 */
function gym_live_checkins_fallback_text() {
	return '<span class="gym-live-checkins-fallback" data-failed="' . esc_attr__( 'Live check-ins could not load.', 'gym-realtime-widgets' ) . '">' . esc_html__( 'Live check-ins are loading…', 'gym-realtime-widgets' ) . '</span>';
}

/**
 * The widgets' colour tokens from the block's colour settings: its text colour
 * for their text (muted and borders mixed from it), its background for their
 * cards (and some room around them), from the theme's palette or a custom colour.
 *
 * @param array<string, mixed> $attributes The block's attributes.
 * @return string CSS declarations ('' for none).
 */
function gym_live_checkins_color_tokens( array $attributes ) {
	$colors = array();
	foreach ( array(
		'text'       => 'textColor',
		'background' => 'backgroundColor',
	) as $kind => $preset ) {
		if ( isset( $attributes[ $preset ] ) && is_string( $attributes[ $preset ] ) && preg_match( '/^[a-z0-9-]+$/', $attributes[ $preset ] ) ) {
			$colors[ $kind ] = 'var(--wp--preset--color--' . $attributes[ $preset ] . ')';
		} elseif ( isset( $attributes['style']['color'][ $kind ] ) && is_string( $attributes['style']['color'][ $kind ] ) && preg_match( '/^(#[0-9a-fA-F]{3,8}|var:preset\|color\|[a-z0-9-]+)$/', $attributes['style']['color'][ $kind ] ) ) {
			$value           = $attributes['style']['color'][ $kind ];
			$colors[ $kind ] = '#' === $value[0] ? $value : 'var(--wp--preset--color--' . substr( $value, strlen( 'var:preset|color|' ) ) . ')';
		}
	}
	$css = '';
	if ( isset( $colors['text'] ) ) {
		$css .= '--gym-color-text:' . $colors['text'] . ';--gym-color-muted:color-mix(in srgb,' . $colors['text'] . ' 75%,transparent);--gym-color-border:color-mix(in srgb,' . $colors['text'] . ' 30%,transparent);';
	}
	if ( isset( $colors['background'] ) ) {
		// Room around the widgets on the block's background, as WordPress gives paragraphs with one.
		$css .= '--gym-color-surface:' . $colors['background'] . ';padding:1.25em 1.5em;box-sizing:border-box;';
	}
	return $css;
}

/**
 * Renders the block.
 *
 * @param array<string, mixed> $attributes The block's attributes (see block.json).
 * @return string HTML.
 */
function gym_live_checkins_render_block( $attributes ) {
	$attributes = is_array( $attributes ) ? $attributes : array();
	$args       = array(
		'widgets'     => isset( $attributes['widgets'] ) && is_array( $attributes['widgets'] ) ? $attributes['widgets'] : null,
		'limit'       => isset( $attributes['limit'] ) ? $attributes['limit'] : GYM_LIVE_CHECKINS_LIMIT,
		'theme'       => isset( $attributes['theme'] ) ? $attributes['theme'] : '',
		'heading'     => isset( $attributes['heading'] ) ? $attributes['heading'] : '',
		'names'       => isset( $attributes['names'] ) ? $attributes['names'] : '',
		'notify'      => ! empty( $attributes['notify'] ),
		'socket_url'  => isset( $attributes['socketUrl'] ) ? $attributes['socketUrl'] : '',
		'token_url'   => isset( $attributes['tokenUrl'] ) ? $attributes['tokenUrl'] : '',
		'history_url' => isset( $attributes['historyUrl'] ) ? $attributes['historyUrl'] : '',
		'search_url'  => isset( $attributes['searchUrl'] ) ? $attributes['searchUrl'] : '',
		'visits_url'  => isset( $attributes['visitsUrl'] ) ? $attributes['visitsUrl'] : '',
	);
	$html = gym_live_checkins_render( array_filter( $args, 'gym_live_checkins_is_set' ), gym_live_checkins_is_block_trusted( $attributes ) );
	if ( '' === $html ) {
		return '';
	}
	$tokens  = gym_live_checkins_color_tokens( $attributes );
	$wrapper = get_block_wrapper_attributes( '' !== $tokens ? array( 'style' => $tokens ) : array() );
	return '<div ' . $wrapper . '>' . $html . '</div>';
}

/**
 * Whether a value was given (null means: use the default).
 *
 * @param mixed $value A value.
 * @return bool
 */
function gym_live_checkins_is_set( $value ) {
	return null !== $value;
}

/**
 * The [gym_live_checkins] shortcode, for classic-editor sites:
 * [gym_live_checkins show="status,stats,feed" limit="5" theme="dark" names="first" notify="1" heading="…"],
 * and url, token_url, history_url, search_url, visits_url to override the
 * settings (in posts by authors with unfiltered_html only).
 *
 * @param mixed $atts The shortcode's attributes.
 * @return string HTML.
 */
function gym_live_checkins_shortcode( $atts ) {
	$atts  = shortcode_atts(
		array(
			'show'        => 'status,stats,feed',
			'limit'       => (string) GYM_LIVE_CHECKINS_LIMIT,
			'theme'       => '',
			'names'       => '',
			'notify'      => '',
			'heading'     => '',
			'url'         => '',
			'token_url'   => '',
			'history_url' => '',
			'search_url'  => '',
			'visits_url'  => '',
		),
		is_array( $atts ) ? $atts : array(),
		'gym_live_checkins'
	);
	$names = array_map( 'trim', explode( ',', strtolower( (string) $atts['show'] ) ) );
	// The block calls the figures "figures"; accept that name too.
	$names = array_map(
		static function ( $name ) {
			return 'figures' === $name ? 'stats' : $name;
		},
		$names
	);
	// Its own addresses count only when it was written, as it is, in the post being shown by an author with unfiltered_html.
	$trusted = gym_live_checkins_is_trusted_text( gym_live_checkins_shortcode_text() );
	gym_live_checkins_shortcode_text( '' );
	return gym_live_checkins_render(
		array(
			'widgets'     => $names,
			'limit'       => $atts['limit'],
			'theme'       => $atts['theme'],
			'names'       => strtolower( (string) $atts['names'] ),
			'notify'      => in_array( strtolower( (string) $atts['notify'] ), array( '1', 'true', 'yes', 'on' ), true ),
			'heading'     => (string) $atts['heading'],
			'socket_url'  => $atts['url'],
			'token_url'   => $atts['token_url'],
			'history_url' => $atts['history_url'],
			'search_url'  => $atts['search_url'],
			'visits_url'  => $atts['visits_url'],
		),
		$trusted
	);
}

/**
 * Tells the block's editor script whether this user may point the block at
 * other servers (both the user and the post's author need unfiltered_html:
 * gym_live_checkins_is_block_trusted()), and whether a token URL is set (the
 * check-in form needs one).
 */
function gym_live_checkins_editor_settings() {
	$post     = get_post();
	$settings = array(
		'canChangeConnection' => current_user_can( 'unfiltered_html' ) && $post instanceof WP_Post && user_can( (int) $post->post_author, 'unfiltered_html' ),
		'hasTokenUrl'         => '' !== gym_live_checkins_settings()['token_url'],
	);
	wp_add_inline_script(
		generate_block_asset_handle( 'gym-realtime-widgets/live-checkins', 'editorScript' ),
		'window.gymLiveCheckinsEditor = ' . wp_json_encode( $settings ) . ';',
		'before'
	);
}
add_action( 'enqueue_block_editor_assets', 'gym_live_checkins_editor_settings' );

/**
 * Registers the block (from blocks/live-checkins/block.json) and the shortcode.
 */
function gym_live_checkins_register_block_and_shortcode() {
	register_block_type(
		GYM_LIVE_CHECKINS_DIR . 'blocks/live-checkins',
		array( 'render_callback' => 'gym_live_checkins_render_block' )
	);
	add_shortcode( 'gym_live_checkins', 'gym_live_checkins_shortcode' );
}
add_action( 'init', 'gym_live_checkins_register_block_and_shortcode' );
