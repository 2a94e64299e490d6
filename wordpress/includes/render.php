<?php
/**
 * The "Live check-ins" block and the [gym_live_checkins] shortcode: both
 * render the widgets' elements on the server, with the settings' connection
 * unless they give their own.
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
 * Renders a provider holding the chosen widgets, and loads the script.
 *
 * @param array<string, mixed> $args What to show, each key optional: widgets (names from
 *                                   gym_live_checkins_widget_tags()), limit (the feed's length),
 *                                   theme (light, dark, auto; '' for the settings' default),
 *                                   socket_url, token_url, history_url (override the settings).
 * @return string HTML.
 */
function gym_live_checkins_render( array $args ) {
	$settings = gym_live_checkins_settings();
	$rules    = gym_live_checkins_url_rules();
	$urls     = array();
	foreach ( array( 'socket_url', 'token_url', 'history_url' ) as $key ) {
		$override     = isset( $args[ $key ] ) ? gym_live_checkins_clean_url( $args[ $key ], $rules[ $key ][0], $rules[ $key ][1] ) : '';
		$urls[ $key ] = '' !== $override ? $override : $settings[ $key ];
	}

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

	gym_live_checkins_enqueue_script();

	$html = '<gym-realtime-provider url="' . gym_live_checkins_url_attribute( $urls['socket_url'], $rules['socket_url'][0] ) . '"';
	if ( '' !== $urls['token_url'] ) {
		$html .= ' token-url="' . gym_live_checkins_url_attribute( $urls['token_url'], $rules['token_url'][0] ) . '"';
	}
	if ( '' !== $urls['history_url'] ) {
		$html .= ' history-url="' . gym_live_checkins_url_attribute( $urls['history_url'], $rules['history_url'][0] ) . '"';
	}
	$html .= ' theme="' . esc_attr( $theme ) . '"><gym-error-boundary>';
	// In page order, whatever order they were listed in; unknown names are ignored.
	foreach ( gym_live_checkins_widget_tags() as $name => $tag ) {
		if ( in_array( $name, $names, true ) ) {
			$html .= 'feed' === $name ? '<' . $tag . ' limit="' . esc_attr( (string) $limit ) . '"></' . $tag . '>' : '<' . $tag . '></' . $tag . '>';
		}
	}
	return $html . '</gym-error-boundary></gym-realtime-provider>';
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
		'socket_url'  => isset( $attributes['socketUrl'] ) ? $attributes['socketUrl'] : '',
		'token_url'   => isset( $attributes['tokenUrl'] ) ? $attributes['tokenUrl'] : '',
		'history_url' => isset( $attributes['historyUrl'] ) ? $attributes['historyUrl'] : '',
	);
	return '<div ' . get_block_wrapper_attributes() . '>' . gym_live_checkins_render( array_filter( $args, 'gym_live_checkins_is_set' ) ) . '</div>';
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
 * [gym_live_checkins show="status,stats,feed" limit="5" theme="dark"], and
 * url, token_url, history_url to override the settings.
 *
 * @param mixed $atts The shortcode's attributes.
 * @return string HTML.
 */
function gym_live_checkins_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'show'        => 'status,stats,feed',
			'limit'       => (string) GYM_LIVE_CHECKINS_LIMIT,
			'theme'       => '',
			'url'         => '',
			'token_url'   => '',
			'history_url' => '',
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
	return gym_live_checkins_render(
		array(
			'widgets'     => $names,
			'limit'       => $atts['limit'],
			'theme'       => $atts['theme'],
			'socket_url'  => $atts['url'],
			'token_url'   => $atts['token_url'],
			'history_url' => $atts['history_url'],
		)
	);
}

/**
 * Tells the block's editor script whether this user may point the block at
 * other servers (see gym_live_checkins_pin_token_receivers()).
 */
function gym_live_checkins_editor_settings() {
	$settings = array( 'canChangeConnection' => current_user_can( 'unfiltered_html' ) );
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
