<?php
/**
 * The widgets' script: an autoloading ES module with its Subresource Integrity
 * hash, and an import map with the hashes of the chunks it imports, printed
 * once, only on pages that show a widget.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The widgets' autoloading module, in assets/ (and beside its chunks on a CDN). */
const GYM_LIVE_CHECKINS_ENTRY = 'gym-realtime-widgets.js';
/** The classic script: every element in one file, for the block editor's iframes. */
const GYM_LIVE_CHECKINS_CLASSIC = 'gym-realtime-widgets.classic.js';

/**
 * The shipped bundle's integrity.json (written by the CDN build beside the
 * files): its version, the module's hash, and the hash of each chunk the
 * module imports from beside it (every other script it lists but the classic
 * one).
 *
 * @return array{version: string, integrity: string, chunks: array<string, string>}
 */
function gym_live_checkins_bundle() {
	static $bundle = null;
	if ( null === $bundle ) {
		$bundle = array(
			'version'   => GYM_LIVE_CHECKINS_VERSION,
			'integrity' => '',
			'chunks'    => array(),
		);
		$file   = GYM_LIVE_CHECKINS_DIR . 'assets/integrity.json';
		$report = is_readable( $file ) ? wp_json_file_decode( $file, array( 'associative' => true ) ) : null;
		if ( is_array( $report ) ) {
			if ( isset( $report['version'] ) && is_string( $report['version'] ) ) {
				$bundle['version'] = $report['version'];
			}
			$files = isset( $report['files'] ) && is_array( $report['files'] ) ? $report['files'] : array();
			foreach ( $files as $name => $entry ) {
				if ( ! is_string( $name ) || ! is_array( $entry ) || ! isset( $entry['integrity'] ) || ! is_string( $entry['integrity'] ) || ! gym_live_checkins_is_hash( $entry['integrity'] ) ) {
					continue;
				}
				if ( GYM_LIVE_CHECKINS_ENTRY === $name ) {
					$bundle['integrity'] = $entry['integrity'];
				} elseif ( GYM_LIVE_CHECKINS_CLASSIC !== $name && preg_match( '/^gym-realtime-widgets\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.js$/', $name ) ) {
					// Only names the CDN build gives its chunks: they go into URLs and the import map as they are.
					$bundle['chunks'][ $name ] = $entry['integrity'];
				}
			}
			ksort( $bundle['chunks'] );
		}
	}
	return $bundle;
}

/**
 * Whether a string is a sha384 Subresource Integrity hash.
 *
 * @param string $hash The hash.
 * @return bool
 */
function gym_live_checkins_is_hash( $hash ) {
	return 1 === preg_match( '~^sha384-[A-Za-z0-9+/]+={0,2}$~', $hash );
}

/**
 * The chunks' URLs and hashes, beside the module at `$src` (the plugin's own
 * copy or a CDN URL): the browser resolves the module's relative imports
 * (./gym-realtime-widgets.base.<hash>.js) against its URL, without the query.
 *
 * @param string $src The module's URL, as it is printed.
 * @return array<string, string> Chunk URL => sha384 hash.
 */
function gym_live_checkins_chunk_integrity( $src ) {
	$path  = (string) preg_replace( '/[?#].*$/s', '', $src );
	$slash = strrpos( $path, '/' );
	$base  = false === $slash ? '' : substr( $path, 0, $slash + 1 );
	$urls  = array();
	foreach ( gym_live_checkins_bundle()['chunks'] as $name => $hash ) {
		$urls[ $base . $name ] = $hash;
	}
	return $urls;
}

/**
 * The import map that makes the browser check each chunk against its hash as
 * it checks the module (`integrity` in an import map, from Chromium 127; a
 * browser without it loads the chunks unchecked). Printed just before the
 * module: on the front end that is after any import map WordPress itself
 * prints (6.5 and later, for script modules: in the head, or at wp_footer
 * priority 10), so a browser that takes only one import map per page keeps
 * WordPress's and ignores this one. As an inline script, through
 * wp_get_inline_script_tag(): a CSP plugin that adds nonces with the
 * wp_inline_script_attributes filter covers it.
 *
 * @param string $src The module's URL, as the browser reads it from the script tag.
 * @return string The import map's script tag, or '' without chunks.
 */
function gym_live_checkins_import_map( $src ) {
	$integrity = gym_live_checkins_chunk_integrity( $src );
	if ( ! $integrity ) {
		return '';
	}
	return wp_get_inline_script_tag(
		(string) wp_json_encode(
			array(
				'imports'   => new stdClass(),
				'integrity' => $integrity,
			),
			JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES
		),
		array(
			'type' => 'importmap',
			'id'   => GYM_LIVE_CHECKINS_SCRIPT . '-importmap',
		)
	);
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
 * Registers the module (the plugin's own copy, or the CDN URL from the
 * settings) and the small classic script printed just before it, which says
 * "could not load" where the widgets go when the module does not arrive.
 */
function gym_live_checkins_register_script() {
	$bundle = gym_live_checkins_bundle();
	$custom = gym_live_checkins_settings()['script_src'];
	wp_register_script( GYM_LIVE_CHECKINS_SCRIPT . '-fallback', plugins_url( 'js/fallback.js', GYM_LIVE_CHECKINS_FILE ), array(), GYM_LIVE_CHECKINS_VERSION, true );
	if ( '' !== $custom ) {
		// A CDN URL carries its version in its path: no query string.
		wp_register_script( GYM_LIVE_CHECKINS_SCRIPT, $custom, array( GYM_LIVE_CHECKINS_SCRIPT . '-fallback' ), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion
		return;
	}
	// The hash changes with the file even when the version does not (a rebuild): a cached
	// copy with another hash would fail its integrity check.
	$version = '' !== $bundle['integrity'] ? substr( md5( $bundle['integrity'] ), 0, 12 ) : GYM_LIVE_CHECKINS_VERSION;
	wp_register_script( GYM_LIVE_CHECKINS_SCRIPT, plugins_url( 'assets/' . GYM_LIVE_CHECKINS_ENTRY, GYM_LIVE_CHECKINS_FILE ), array( GYM_LIVE_CHECKINS_SCRIPT . '-fallback' ), $version, true );
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
 * Prints the module as one, after the import map with its chunks' hashes.
 * WordPress 6.1 prints every script without a type, and the browser would
 * stop at "Unexpected token 'export'".
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
	// The chunks' hashes first: the browser takes an import map only before the module that needs it.
	// crossorigin: integrity needs a CORS request when the file is on a CDN.
	return gym_live_checkins_import_map( wp_specialchars_decode( $src, ENT_QUOTES ) ) . sprintf(
		'<script type="module" src="%1$s" id="%2$s"%3$s crossorigin="anonymous"></script>' . "\n", // phpcs:ignore WordPress.WP.EnqueuedResources.NonEnqueuedScript
		esc_url( $src ),
		esc_attr( $handle . '-js' ),
		'' !== $integrity ? ' integrity="' . esc_attr( $integrity ) . '"' : ''
	);
}
add_filter( 'script_loader_tag', 'gym_live_checkins_script_tag', 10, 3 );

/**
 * Counts the excerpts being made. WordPress makes an excerpt by running the
 * whole post through the_content and then removing every tag: nothing of it
 * is shown as HTML, so it must not load the script (blog home, archives,
 * search results) nor render widgets.
 *
 * @param int $change One when an excerpt starts, minus one when it is made.
 * @return int
 */
function gym_live_checkins_excerpt_depth( $change = 0 ) {
	static $depth = 0;
	$depth = max( 0, $depth + $change );
	return $depth;
}

/**
 * Whether an excerpt is being made now.
 *
 * @return bool
 */
function gym_live_checkins_in_excerpt() {
	return gym_live_checkins_excerpt_depth() > 0;
}

/**
 * Before wp_trim_excerpt() (get_the_excerpt, priority 10).
 *
 * @param mixed $excerpt The excerpt so far.
 * @return mixed
 */
function gym_live_checkins_excerpt_starts( $excerpt ) {
	gym_live_checkins_excerpt_depth( 1 );
	return $excerpt;
}
add_filter( 'get_the_excerpt', 'gym_live_checkins_excerpt_starts', 9 );

/**
 * After wp_trim_excerpt().
 *
 * @param mixed $excerpt The excerpt.
 * @return mixed
 */
function gym_live_checkins_excerpt_ends( $excerpt ) {
	gym_live_checkins_excerpt_depth( -1 );
	return $excerpt;
}
add_filter( 'get_the_excerpt', 'gym_live_checkins_excerpt_ends', 11 );

/**
 * Loads the module when what is about to be printed holds the widgets' tags
 * or data-gym-widget blocks (pasted by an editor), leaving it as it is. Not
 * for excerpts, which print none of it.
 *
 * @param mixed $content Post, widget or block content, as rendered.
 * @return mixed
 */
function gym_live_checkins_detect_widgets( $content ) {
	if ( is_string( $content ) && ! gym_live_checkins_in_excerpt() && gym_live_checkins_has_widgets( $content ) ) {
		gym_live_checkins_enqueue_script();
	}
	return $content;
}

/**
 * Whether HTML holds a widget's tag or a data-gym-widget block, as tags (not
 * a title or a sentence that names them).
 *
 * @param string $html HTML.
 * @return bool
 */
function gym_live_checkins_has_widgets( $html ) {
	if ( false === stripos( $html, '<gym-' ) && false === stripos( $html, 'data-gym-widget' ) ) {
		return false;
	}
	foreach ( gym_live_checkins_html_tags( $html )['tags'] as $tag ) {
		if ( 0 === strpos( $tag['name'], 'gym-' ) || in_array( 'data-gym-widget', array_column( $tag['attributes'], 0 ), true ) ) {
			return true;
		}
	}
	return false;
}
add_filter( 'the_content', 'gym_live_checkins_detect_widgets', 1000 );
add_filter( 'the_excerpt', 'gym_live_checkins_detect_widgets', 1000 );
add_filter( 'render_block', 'gym_live_checkins_detect_widgets', 1000 );
add_filter( 'widget_text_content', 'gym_live_checkins_detect_widgets', 1000 );
add_filter( 'widget_block_content', 'gym_live_checkins_detect_widgets', 1000 );

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

/**
 * Loads the widgets in the block editor's iframes too: the Site Editor, the
 * post editor's template mode and tablet and mobile previews. WordPress 6.1
 * builds those from the scripts' HTML in the editor settings, and loads each
 * as a plain script by its src only (no type="module", no integrity): so the
 * classic build, after js/editor-frame.js, which copies the page's policy
 * meta into the iframe's head first.
 *
 * @param mixed $settings Block editor settings.
 * @return mixed
 */
function gym_live_checkins_editor_frame_assets( $settings ) {
	if ( ! is_array( $settings ) || ! isset( $settings['__unstableResolvedAssets']['scripts'] ) || ! is_string( $settings['__unstableResolvedAssets']['scripts'] ) ) {
		return $settings;
	}
	$version = rawurlencode( gym_live_checkins_bundle_version() );
	foreach ( array(
		'editor-frame' => 'js/editor-frame.js',
		'classic'      => 'assets/' . GYM_LIVE_CHECKINS_CLASSIC,
	) as $name => $file ) {
		$settings['__unstableResolvedAssets']['scripts'] .= wp_get_script_tag(
			array(
				'src' => plugins_url( $file, GYM_LIVE_CHECKINS_FILE ) . '?ver=' . $version,
				'id'  => GYM_LIVE_CHECKINS_SCRIPT . '-' . $name . '-js',
			)
		);
	}
	return $settings;
}
add_filter( 'block_editor_settings_all', 'gym_live_checkins_editor_frame_assets' );
