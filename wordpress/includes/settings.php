<?php
/**
 * Settings → Live check-ins: where the widgets connect, their default theme,
 * and where the script comes from. Blocks and shortcodes use these unless they
 * override them.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Slug of the settings page and name of its section. */
const GYM_LIVE_CHECKINS_PAGE = 'gym-live-checkins';
/** Settings API group: options.php checks its nonce and manage_options. */
const GYM_LIVE_CHECKINS_GROUP = 'gym_live_checkins';
/** The widgets' themes; light is their own default. */
const GYM_LIVE_CHECKINS_THEMES = array( 'light', 'dark', 'auto' );

/**
 * The settings and their defaults.
 *
 * @return array<string, string>
 */
function gym_live_checkins_defaults() {
	return array(
		'socket_url'  => '',
		'token_url'   => '',
		'history_url' => '',
		'search_url'  => '',
		'visits_url'  => '',
		'theme'       => 'light',
		'script_src'  => '',
	);
}

/**
 * The saved settings, every key present.
 *
 * @return array<string, string>
 */
function gym_live_checkins_settings() {
	$defaults = gym_live_checkins_defaults();
	$saved    = get_option( GYM_LIVE_CHECKINS_OPTION, array() );
	if ( ! is_array( $saved ) ) {
		return $defaults;
	}
	$settings = $defaults;
	foreach ( $defaults as $key => $default ) {
		if ( isset( $saved[ $key ] ) && is_string( $saved[ $key ] ) ) {
			$settings[ $key ] = $saved[ $key ];
		}
	}
	return $settings;
}

/**
 * An absolute URL with one of `$schemes` and a host, or (when `$allow_path`) a
 * path on this site; anything else becomes ''.
 *
 * @param mixed    $value      Submitted value.
 * @param string[] $schemes    Allowed schemes, lower case.
 * @param bool     $allow_path Whether a site-relative path such as /api/widget-token is allowed.
 * @return string
 */
function gym_live_checkins_clean_url( $value, array $schemes, $allow_path = false ) {
	if ( ! is_string( $value ) ) {
		return '';
	}
	$value = trim( $value );
	if ( '' === $value ) {
		return '';
	}
	// A path, but not a protocol-relative //host URL.
	if ( $allow_path && '/' === $value[0] && 0 !== strpos( $value, '//' ) ) {
		return esc_url_raw( $value );
	}
	$scheme = wp_parse_url( $value, PHP_URL_SCHEME );
	$host   = wp_parse_url( $value, PHP_URL_HOST );
	if ( ! is_string( $scheme ) || ! in_array( strtolower( $scheme ), $schemes, true ) || ! is_string( $host ) || '' === $host ) {
		return '';
	}
	return esc_url_raw( $value, $schemes );
}

/**
 * Escapes a URL saved by gym_live_checkins_clean_url() for an HTML attribute.
 *
 * @param string   $url     The URL.
 * @param string[] $schemes Its allowed schemes.
 * @return string
 */
function gym_live_checkins_url_attribute( $url, array $schemes ) {
	return '/' === substr( $url, 0, 1 ) ? esc_url( $url ) : esc_url( $url, $schemes );
}

/**
 * The schemes each URL setting accepts, and whether a site path is allowed.
 *
 * @return array<string, array{0: string[], 1: bool}>
 */
function gym_live_checkins_url_rules() {
	return array(
		'socket_url'  => array( array( 'wss', 'ws' ), false ),
		'token_url'   => array( array( 'https', 'http' ), true ),
		'history_url' => array( array( 'https', 'http' ), false ),
		'search_url'  => array( array( 'https', 'http' ), false ),
		'visits_url'  => array( array( 'https', 'http' ), false ),
		'script_src'  => array( array( 'https', 'http' ), false ),
	);
}

/**
 * Sanitises the submitted settings. An invalid value keeps the saved one and
 * says why on the settings page, where its field shows it again as it was
 * typed, to be corrected (gym_live_checkins_rejected_values()).
 *
 * @param mixed $input Submitted values.
 * @return array<string, string>
 */
function gym_live_checkins_sanitize_settings( $input ) {
	$saved = gym_live_checkins_settings();
	$input = is_array( $input ) ? $input : array();
	$clean = $saved;
	$names = array(
		'socket_url'  => __( 'Socket URL', 'gym-realtime-widgets' ),
		'token_url'   => __( 'Token URL', 'gym-realtime-widgets' ),
		'history_url' => __( 'History URL', 'gym-realtime-widgets' ),
		'search_url'  => __( 'Member search URL', 'gym-realtime-widgets' ),
		'visits_url'  => __( 'Member visits URL', 'gym-realtime-widgets' ),
		'script_src'  => __( 'Script source', 'gym-realtime-widgets' ),
	);
	$rejected = array();

	foreach ( gym_live_checkins_url_rules() as $key => $rule ) {
		$submitted = isset( $input[ $key ] ) && is_string( $input[ $key ] ) ? trim( $input[ $key ] ) : '';
		$url       = gym_live_checkins_clean_url( $submitted, $rule[0], $rule[1] );
		if ( '' !== $submitted && '' === $url ) {
			$rejected[ $key ] = $submitted;
			add_settings_error(
				GYM_LIVE_CHECKINS_OPTION,
				'invalid-' . $key,
				sprintf(
					/* translators: 1: name of a setting, 2: allowed URL schemes such as "wss://, ws://". */
					__( '%1$s was not saved: it must be an address starting with %2$s.', 'gym-realtime-widgets' ),
					$names[ $key ],
					implode( ', ', array_map( 'gym_live_checkins_scheme_prefix', $rule[0] ) ) . ( $rule[1] ? ' ' . __( 'or a path on this site starting with /', 'gym-realtime-widgets' ) : '' )
				)
			);
			continue;
		}
		$clean[ $key ] = $url;
	}

	$theme          = isset( $input['theme'] ) && is_string( $input['theme'] ) ? $input['theme'] : '';
	$clean['theme'] = in_array( $theme, GYM_LIVE_CHECKINS_THEMES, true ) ? $theme : 'light';
	// WordPress may sanitise a first save twice (update_option, then add_option): only a rejection is kept.
	if ( $rejected ) {
		set_transient( gym_live_checkins_rejected_key(), $rejected, 10 * MINUTE_IN_SECONDS );
	}
	return $clean;
}

/**
 * Where the values a user typed and the last save refused wait for the settings page.
 *
 * @return string A transient's name, per user.
 */
function gym_live_checkins_rejected_key() {
	return 'gym_live_checkins_rejected_' . get_current_user_id();
}

/**
 * The values the last save refused, as typed, for this page view (read once).
 *
 * @return array<string, string>
 */
function gym_live_checkins_rejected_values() {
	static $rejected = null;
	if ( null === $rejected ) {
		$saved    = get_transient( gym_live_checkins_rejected_key() );
		$rejected = is_array( $saved ) ? array_filter( $saved, 'is_string' ) : array();
		if ( false !== $saved ) {
			delete_transient( gym_live_checkins_rejected_key() );
		}
	}
	return $rejected;
}

/**
 * Formats a scheme for a message: "wss" → "wss://".
 *
 * @param string $scheme A URL scheme.
 * @return string
 */
function gym_live_checkins_scheme_prefix( $scheme ) {
	return $scheme . '://';
}

/**
 * Registers the option, the section and its fields with the Settings API.
 */
function gym_live_checkins_register_settings() {
	register_setting(
		GYM_LIVE_CHECKINS_GROUP,
		GYM_LIVE_CHECKINS_OPTION,
		array(
			'type'              => 'object',
			'sanitize_callback' => 'gym_live_checkins_sanitize_settings',
			'default'           => gym_live_checkins_defaults(),
			'show_in_rest'      => false,
		)
	);

	add_settings_section(
		GYM_LIVE_CHECKINS_PAGE,
		__( 'Connection', 'gym-realtime-widgets' ),
		'gym_live_checkins_render_section',
		GYM_LIVE_CHECKINS_PAGE
	);

	$fields = array(
		'socket_url'  => array(
			__( 'Socket URL', 'gym-realtime-widgets' ),
			'wss://gym.example/ws/checkins/',
			__( "The gym's check-in socket (the public gateway or the AV-Gym server), from the gym's IT. Required.", 'gym-realtime-widgets' ),
		),
		'token_url'   => array(
			__( 'Token URL', 'gym-realtime-widgets' ),
			'/api/widget-token',
			__( 'An endpoint that answers a short-lived access token for the signed-in visitor. A WordPress REST route cannot serve here: it ignores the login cookie without a nonce. Empty: the widgets send no token anywhere (a public site, through the gateway), and the check-in form is not offered.', 'gym-realtime-widgets' ),
		),
		'history_url' => array(
			__( 'History URL', 'gym-realtime-widgets' ),
			'https://gym.example/api/checkins/recent/',
			__( "The gym's list of recent check-ins: fills the feed at once. Without it, the feed waits for the next check-in.", 'gym-realtime-widgets' ),
		),
		'search_url'  => array(
			__( 'Member search URL', 'gym-realtime-widgets' ),
			'https://gym.example/api/members/search/',
			__( "Optional, for the check-in form: the gym's member search. Empty: /api/members/search/ on the history URL's server.", 'gym-realtime-widgets' ),
		),
		'visits_url'  => array(
			__( 'Member visits URL', 'gym-realtime-widgets' ),
			'https://gym.example/api/checkins/checkins/',
			__( "Optional, for the check-in form: a member's visits. Empty: /api/checkins/checkins/ on the history URL's server.", 'gym-realtime-widgets' ),
		),
	);
	foreach ( $fields as $key => $field ) {
		add_settings_field(
			'gym-live-checkins-' . $key,
			$field[0],
			'gym_live_checkins_render_text_field',
			GYM_LIVE_CHECKINS_PAGE,
			GYM_LIVE_CHECKINS_PAGE,
			array(
				'label_for'   => 'gym-live-checkins-' . $key,
				'key'         => $key,
				'placeholder' => $field[1],
				'description' => $field[2],
			)
		);
	}

	add_settings_field(
		'gym-live-checkins-theme',
		__( 'Default theme', 'gym-realtime-widgets' ),
		'gym_live_checkins_render_theme_field',
		GYM_LIVE_CHECKINS_PAGE,
		GYM_LIVE_CHECKINS_PAGE,
		array( 'label_for' => 'gym-live-checkins-theme' )
	);

	add_settings_field(
		'gym-live-checkins-script_src',
		__( 'Script source', 'gym-realtime-widgets' ),
		'gym_live_checkins_render_script_src_field',
		GYM_LIVE_CHECKINS_PAGE,
		GYM_LIVE_CHECKINS_PAGE,
		array(
			'label_for'   => 'gym-live-checkins-script_src',
			'key'         => 'script_src',
			'placeholder' => gym_live_checkins_own_copy_url(),
			'description' => sprintf(
				/* translators: 1: version of the widgets this plugin ships, 2: how many files the script loads beside it. */
				__( 'Empty: this plugin\'s own copy of the widgets (version %1$s, the address shown). Or the same file, exactly that version, on your CDN, with the %2$d gym-realtime-widgets.*.js files it loads beside it (the whole dist/bundle/ folder): the browser checks each against this version\'s integrity hash and refuses any other.', 'gym-realtime-widgets' ),
				gym_live_checkins_bundle_version(),
				count( gym_live_checkins_bundle()['chunks'] )
			),
		)
	);
}
add_action( 'admin_init', 'gym_live_checkins_register_settings' );

/**
 * The address of the plugin's own copy of the module: one that works, as the
 * example of a script source (the package is not on a public CDN yet).
 *
 * @return string
 */
function gym_live_checkins_own_copy_url() {
	return plugins_url( 'assets/' . GYM_LIVE_CHECKINS_ENTRY, GYM_LIVE_CHECKINS_FILE );
}

/**
 * Introduces the section.
 */
function gym_live_checkins_render_section() {
	echo '<p>' . esc_html__( 'Where the live widgets connect. Blocks, shortcodes and pasted widgets use these values: only posts by users who may post unfiltered HTML can set their own.', 'gym-realtime-widgets' ) . '</p>';
	$origins = gym_live_checkins_policy_origins();
	if ( $origins ) {
		$policy = sprintf(
			/* translators: %s: origins such as https://gym.example, separated by spaces. */
			__( "Every page tells the widgets that only these servers may receive a visitor's token: %s.", 'gym-realtime-widgets' ),
			implode( ' ', $origins )
		);
	} else {
		$policy = __( 'No token URL is set: every page tells the widgets to send no token anywhere.', 'gym-realtime-widgets' );
	}
	echo '<p id="gym-live-checkins-policy">' . esc_html( $policy ) . '</p>';
}

/**
 * A text field of the settings page.
 *
 * @param array<string, string> $args Field arguments: key, label_for, placeholder, description.
 */
function gym_live_checkins_render_text_field( $args ) {
	$settings = gym_live_checkins_settings();
	$rejected = gym_live_checkins_rejected_values();
	$refused  = isset( $rejected[ $args['key'] ] );
	printf(
		'<input type="text" class="regular-text code" id="%1$s" name="%2$s[%3$s]" value="%4$s" placeholder="%5$s" spellcheck="false"%6$s /><p class="description" id="%1$s-description">%7$s</p>',
		esc_attr( $args['label_for'] ),
		esc_attr( GYM_LIVE_CHECKINS_OPTION ),
		esc_attr( $args['key'] ),
		esc_attr( $refused ? $rejected[ $args['key'] ] : $settings[ $args['key'] ] ),
		esc_attr( $args['placeholder'] ),
		' aria-describedby="' . esc_attr( $args['label_for'] . '-description' ) . '"' . ( $refused ? ' aria-invalid="true"' : '' ),
		esc_html( $args['description'] )
	);
}

/**
 * The script source field, and where js/settings-check.js says whether a CDN
 * set there serves the module and its chunks.
 *
 * @param array<string, string> $args Field arguments, as for gym_live_checkins_render_text_field().
 */
function gym_live_checkins_render_script_src_field( $args ) {
	gym_live_checkins_render_text_field( $args );
	if ( '' !== gym_live_checkins_settings()['script_src'] ) {
		echo '<div id="gym-live-checkins-cdn-check" role="status" aria-live="polite"></div>';
	}
}

/**
 * On the settings page, with a script source set: checks from the
 * administrator's browser (which reaches the CDN as visitors do; the server
 * may not) that the CDN serves the module and every chunk beside it, each
 * matching this version's hash (js/settings-check.js).
 *
 * @param string $hook_suffix The admin page.
 */
function gym_live_checkins_settings_assets( $hook_suffix ) {
	$src = gym_live_checkins_settings()['script_src'];
	if ( 'settings_page_' . GYM_LIVE_CHECKINS_PAGE !== $hook_suffix || '' === $src ) {
		return;
	}
	$bundle = gym_live_checkins_bundle();
	$files  = array(
		array(
			'url'       => $src,
			'integrity' => $bundle['integrity'],
		),
	);
	foreach ( gym_live_checkins_chunk_integrity( $src ) as $url => $hash ) {
		$files[] = array(
			'url'       => $url,
			'integrity' => $hash,
		);
	}
	$handle = GYM_LIVE_CHECKINS_SCRIPT . '-settings-check';
	wp_enqueue_script( $handle, plugins_url( 'js/settings-check.js', GYM_LIVE_CHECKINS_FILE ), array(), GYM_LIVE_CHECKINS_VERSION, true );
	$data = array(
		'version' => $bundle['version'],
		'files'   => $files,
		'text'    => array(
			'checking'    => /* translators: 1: how many files the script loads beside it, 2: version of the widgets. */ __( 'Checking from your browser that the script source serves the module and its %1$d chunks of version %2$s…', 'gym-realtime-widgets' ),
			'ok'          => /* translators: 1: how many files the script loads beside it, 2: version of the widgets. */ __( 'Checked from your browser: the script source serves the module and its %1$d chunks of version %2$s, each matching its hash.', 'gym-realtime-widgets' ),
			'failed'      => /* translators: %s: version of the widgets. */ __( 'The widgets will not load from this script source. Put the whole dist/bundle/ folder of version %s there, its files side by side:', 'gym-realtime-widgets' ),
			'missing'     => /* translators: 1: a file name, 2: an HTTP status code. */ __( '%1$s: not found (HTTP %2$s).', 'gym-realtime-widgets' ),
			'unreachable' => /* translators: %s: a file name. */ __( '%s: could not be fetched from this site (the network, or no Access-Control-Allow-Origin header).', 'gym-realtime-widgets' ),
			'mismatch'    => /* translators: %s: a file name. */ __( '%s: not the file of this version (it does not match its hash).', 'gym-realtime-widgets' ),
		),
	);
	wp_add_inline_script( $handle, 'window.gymLiveCheckinsCdnCheck = ' . wp_json_encode( $data ) . ';', 'before' );
}
add_action( 'admin_enqueue_scripts', 'gym_live_checkins_settings_assets' );

/**
 * The names of the themes, for select controls.
 *
 * @return array<string, string>
 */
function gym_live_checkins_theme_labels() {
	return array(
		'light' => __( 'Light', 'gym-realtime-widgets' ),
		'dark'  => __( 'Dark', 'gym-realtime-widgets' ),
		'auto'  => __( "Auto: follows the visitor's system", 'gym-realtime-widgets' ),
	);
}

/**
 * The default theme field.
 *
 * @param array<string, string> $args Field arguments: label_for.
 */
function gym_live_checkins_render_theme_field( $args ) {
	$settings = gym_live_checkins_settings();
	printf( '<select id="%1$s" name="%2$s[theme]">', esc_attr( $args['label_for'] ), esc_attr( GYM_LIVE_CHECKINS_OPTION ) );
	foreach ( gym_live_checkins_theme_labels() as $value => $label ) {
		printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $value ), selected( $settings['theme'], $value, false ), esc_html( $label ) );
	}
	echo '</select>';
}

/**
 * Adds Settings → Live check-ins.
 */
function gym_live_checkins_add_settings_page() {
	add_options_page(
		__( 'Live check-ins', 'gym-realtime-widgets' ),
		__( 'Live check-ins', 'gym-realtime-widgets' ),
		'manage_options',
		GYM_LIVE_CHECKINS_PAGE,
		'gym_live_checkins_render_settings_page'
	);
}
add_action( 'admin_menu', 'gym_live_checkins_add_settings_page' );

/**
 * The settings page. options.php saves it: the Settings API checks the nonce
 * that settings_fields() prints, and manage_options.
 */
function gym_live_checkins_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1><form action="options.php" method="post">';
	settings_fields( GYM_LIVE_CHECKINS_GROUP );
	do_settings_sections( GYM_LIVE_CHECKINS_PAGE );
	submit_button();
	echo '</form></div>';
}

/**
 * Adds a Settings link to the plugin's row on the Plugins screen.
 *
 * @param string[] $links The row's links.
 * @return string[]
 */
function gym_live_checkins_action_links( $links ) {
	$url = admin_url( 'options-general.php?page=' . GYM_LIVE_CHECKINS_PAGE );
	array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'gym-realtime-widgets' ) . '</a>' );
	return $links;
}
add_filter( 'plugin_action_links_' . plugin_basename( GYM_LIVE_CHECKINS_FILE ), 'gym_live_checkins_action_links' );
