<?php
/**
 * Lets the widgets' tags through WordPress's HTML sanitizer (kses) for every
 * role, with exactly their attributes: for users without unfiltered_html
 * (Authors, Contributors; everyone under DISALLOW_UNFILTERED_HTML or on
 * multisite) WordPress would strip them on save. Script tags and event handler
 * attributes stay forbidden: kses drops whatever is not listed.
 *
 * A widget's URLs decide where a visitor's access token goes. The page's
 * policy (includes/policy.php) is what the browser enforces; this is the
 * second line: for users without unfiltered_html those URLs stay the
 * settings' ones on save, and what is shown is checked again.
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
 * The addresses a visitor's access token is sent to or comes from, as the
 * settings give them: the socket (the token in its URL), the token URL, the
 * history and the form's member search and visits (a bearer header).
 *
 * @return array<string, string> Attribute name => the settings' value ('' allows none).
 */
function gym_live_checkins_token_receivers() {
	$settings = gym_live_checkins_settings();
	return array(
		'url'         => $settings['socket_url'],
		'token-url'   => $settings['token_url'],
		'history-url' => $settings['history_url'],
		'search-url'  => $settings['search_url'],
		'visits-url'  => $settings['visits_url'],
	);
}

/**
 * What a provider without a socket URL gets when it is shown: the settings'
 * connection (README: a tag whose URL was removed "uses the settings").
 *
 * @return array<string, string>
 */
function gym_live_checkins_provider_defaults() {
	$settings = gym_live_checkins_settings();
	if ( '' === $settings['socket_url'] ) {
		return array();
	}
	return array(
		'url'         => $settings['socket_url'],
		'token-url'   => $settings['token_url'],
		'history-url' => $settings['history_url'],
	);
}

/**
 * Whether `$value`, written by a user without unfiltered_html, may receive tokens.
 *
 * @param mixed  $value   A URL from a post.
 * @param string $allowed The settings' URL.
 * @return bool
 */
function gym_live_checkins_is_allowed_receiver( $value, $allowed ) {
	return '' !== $allowed && is_string( $value ) && trim( html_entity_decode( $value, ENT_QUOTES | ENT_HTML5, 'UTF-8' ) ) === $allowed;
}

/*
 * On save: for users without unfiltered_html, every address that receives
 * or hands out tokens is kept to the settings' one; other values are removed.
 */

/**
 * For users without unfiltered_html, keeps the token's addresses of the
 * widgets in a post to the settings' ones: otherwise an Author could send the
 * access tokens of signed-in visitors to a server of their own. Runs after
 * kses on save, on pasted tags (any quoting), data-gym-widget blocks, the
 * block's and the shortcode's overrides; other values are removed, so the
 * settings' apply. What is shown is checked again (gym_live_checkins_pin_rendered()).
 *
 * @param mixed $content Post content or excerpt, slashed.
 * @return mixed
 */
function gym_live_checkins_pin_token_receivers( $content ) {
	if ( ! is_string( $content ) || current_user_can( 'unfiltered_html' ) ) {
		return $content;
	}
	$html   = wp_unslash( $content );
	$pinned = gym_live_checkins_pin_shortcodes( gym_live_checkins_pin_blocks( gym_live_checkins_pin_html( $html, gym_live_checkins_token_receivers() ) ) );
	return $pinned === $html ? $content : wp_slash( $pinned );
}
add_filter( 'content_save_pre', 'gym_live_checkins_pin_token_receivers', 20 );
add_filter( 'excerpt_save_pre', 'gym_live_checkins_pin_token_receivers', 20 );

/**
 * The block's connection attributes, each with the receiver it sets.
 *
 * @return array<string, string> Block attribute => attribute name in gym_live_checkins_token_receivers().
 */
function gym_live_checkins_block_connection_keys() {
	return array(
		'socketUrl'  => 'url',
		'tokenUrl'   => 'token-url',
		'historyUrl' => 'history-url',
		'searchUrl'  => 'search-url',
		'visitsUrl'  => 'visits-url',
	);
}

/**
 * The shortcode's connection attributes, each with the receiver it sets.
 *
 * @return array<string, string> Shortcode attribute => attribute name in gym_live_checkins_token_receivers().
 */
function gym_live_checkins_shortcode_connection_keys() {
	return array(
		'url'         => 'url',
		'token_url'   => 'token-url',
		'history_url' => 'history-url',
		'search_url'  => 'search-url',
		'visits_url'  => 'visits-url',
	);
}

/**
 * Pins the block's connection overrides.
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
			foreach ( gym_live_checkins_block_connection_keys() as $key => $receiver ) {
				if ( isset( $attributes[ $key ] ) && '' !== $attributes[ $key ] && ! gym_live_checkins_is_allowed_receiver( $attributes[ $key ], $receivers[ $receiver ] ) ) {
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
 * Pins the shortcode's connection overrides.
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
			foreach ( gym_live_checkins_shortcode_connection_keys() as $key => $receiver ) {
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

/*
 * When shown: what reaches the page is checked again, whoever saved it and
 * however it got there (content saved before this check existed, a shortcode
 * that a block comment split on save, entities that the Latest Posts block
 * decodes, a title or a comment shown inside another post). A widget keeps
 * addresses other than the settings' only when they were written, as they are,
 * in the post being shown by an author who has unfiltered_html.
 */

/**
 * The post being shown, when its author may post unfiltered HTML (so may
 * connect its widgets elsewhere); null otherwise. Checked now, not when it was
 * saved: an author who lost the capability loses this too.
 *
 * @return WP_Post|null
 */
function gym_live_checkins_trusted_post() {
	$post = get_post();
	if ( ! $post instanceof WP_Post || ! $post->post_author || ! user_can( (int) $post->post_author, 'unfiltered_html' ) ) {
		return null;
	}
	return $post;
}

/**
 * Tags this request has already let keep their own addresses, as written anew.
 *
 * @param string|null $tag A tag to add.
 * @return array<string, bool>
 */
function gym_live_checkins_trusted_tags( $tag = null ) {
	static $tags = array();
	if ( null !== $tag ) {
		$tags[ $tag ] = true;
	}
	return $tags;
}

/**
 * Whether `$text`, as it is shown, was written in the post being shown by an
 * author who has unfiltered_html.
 *
 * @param string $text A tag or a shortcode as it is shown.
 * @return bool
 */
function gym_live_checkins_is_trusted_text( $text ) {
	if ( '' === $text ) {
		return false;
	}
	if ( isset( gym_live_checkins_trusted_tags()[ $text ] ) ) {
		return true;
	}
	$post = gym_live_checkins_trusted_post();
	return null !== $post && false !== strpos( $post->post_content, $text );
}

/**
 * Checks the widgets in HTML about to be shown: connection attributes other
 * than the settings' stay only where gym_live_checkins_is_trusted_text()
 * allows; a provider left without a socket URL gets the settings'.
 *
 * @param mixed $html Rendered content.
 * @return mixed
 */
function gym_live_checkins_pin_rendered( $html ) {
	if ( ! is_string( $html ) || ( false === stripos( $html, '<gym-' ) && false === stripos( $html, 'data-gym-widget' ) ) ) {
		return $html;
	}
	return gym_live_checkins_pin_html( $html, gym_live_checkins_token_receivers(), 'gym_live_checkins_is_trusted_text', gym_live_checkins_provider_defaults(), 'gym_live_checkins_trusted_tags' );
}
add_filter( 'the_content', 'gym_live_checkins_pin_rendered', 999 );
add_filter( 'the_excerpt', 'gym_live_checkins_pin_rendered', 999 );
add_filter( 'render_block', 'gym_live_checkins_pin_rendered', 999 );
add_filter( 'widget_text_content', 'gym_live_checkins_pin_rendered', 999 );
add_filter( 'widget_block_content', 'gym_live_checkins_pin_rendered', 999 );

/**
 * Notes a request for the block editor's preview (the block renderer route).
 *
 * @param mixed           $response The response so far.
 * @param mixed           $handler  The route's handler.
 * @param WP_REST_Request $request  The request.
 * @return mixed
 */
function gym_live_checkins_note_block_preview( $response, $handler, $request ) {
	if ( $request instanceof WP_REST_Request && 0 === strpos( $request->get_route(), '/wp/v2/block-renderer/' ) ) {
		gym_live_checkins_is_block_preview( true );
	}
	return $response;
}
add_filter( 'rest_request_before_callbacks', 'gym_live_checkins_note_block_preview', 10, 3 );

/**
 * Whether this request renders a block for the block editor's preview.
 *
 * @param bool|null $set True to say it does.
 * @return bool
 */
function gym_live_checkins_is_block_preview( $set = null ) {
	static $preview = false;
	if ( null !== $set ) {
		$preview = (bool) $set;
	}
	return $preview;
}

/**
 * Whether the block may use its own connection attributes: in the post being
 * shown, written by an author with unfiltered_html, with these very values;
 * in the editor's preview (the values not saved yet), when both the editing
 * user and the post's author have unfiltered_html.
 *
 * @param array<string, mixed> $attributes The block's attributes.
 * @return bool
 */
function gym_live_checkins_is_block_trusted( array $attributes ) {
	$post = gym_live_checkins_trusted_post();
	if ( null === $post ) {
		return false;
	}
	if ( gym_live_checkins_is_block_preview() ) {
		return current_user_can( 'unfiltered_html' );
	}
	$wanted = gym_live_checkins_block_connection( $attributes );
	foreach ( gym_live_checkins_post_block_connections( $post ) as $connection ) {
		if ( $connection === $wanted ) {
			return true;
		}
	}
	return false;
}

/**
 * A block's connection attributes, each a string ('' when not set).
 *
 * @param array<string, mixed> $attributes Block attributes.
 * @return array<string, string>
 */
function gym_live_checkins_block_connection( array $attributes ) {
	$connection = array();
	foreach ( array_keys( gym_live_checkins_block_connection_keys() ) as $key ) {
		$connection[ $key ] = isset( $attributes[ $key ] ) && is_string( $attributes[ $key ] ) ? trim( $attributes[ $key ] ) : '';
	}
	return $connection;
}

/**
 * The connection attributes of every "Live check-ins" block saved in `$post`,
 * nested ones included.
 *
 * @param WP_Post $post A post.
 * @return array<int, array<string, string>>
 */
function gym_live_checkins_post_block_connections( WP_Post $post ) {
	static $cache = array();
	$key = $post->ID . ':' . md5( $post->post_content );
	if ( ! isset( $cache[ $key ] ) ) {
		$cache[ $key ] = array();
		$blocks        = has_blocks( $post->post_content ) ? parse_blocks( $post->post_content ) : array();
		while ( $blocks ) {
			$block = array_shift( $blocks );
			if ( 'gym-realtime-widgets/live-checkins' === $block['blockName'] ) {
				$cache[ $key ][] = gym_live_checkins_block_connection( is_array( $block['attrs'] ) ? $block['attrs'] : array() );
			}
			if ( ! empty( $block['innerBlocks'] ) ) {
				$blocks = array_merge( $blocks, $block['innerBlocks'] );
			}
		}
	}
	return $cache[ $key ];
}

/**
 * Notes the shortcode about to run, as written, for gym_live_checkins_shortcode_text().
 *
 * @param mixed        $output What to show instead (false: run the shortcode).
 * @param string       $tag    The shortcode's name.
 * @param array|string $attr   Its attributes.
 * @param array        $m      The regular expression match: [0] is the whole shortcode.
 * @return mixed
 */
function gym_live_checkins_note_shortcode( $output, $tag, $attr, $m ) {
	if ( 'gym_live_checkins' === $tag && is_array( $m ) && isset( $m[0] ) ) {
		gym_live_checkins_shortcode_text( (string) $m[0] );
	}
	return $output;
}
add_filter( 'pre_do_shortcode_tag', 'gym_live_checkins_note_shortcode', 10, 4 );

/**
 * The [gym_live_checkins] shortcode running now, as written.
 *
 * @param string|null $set The shortcode's text, when it starts.
 * @return string
 */
function gym_live_checkins_shortcode_text( $set = null ) {
	static $text = '';
	if ( null !== $set ) {
		$text = $set;
	}
	return $text;
}

/**
 * Shows a [gym_live_checkins] written in a post's title as text. A title is
 * no place for widgets, and it would run: block themes run shortcodes over
 * the whole page they render, titles included, as does a post whose Latest
 * Posts block lists other posts' titles.
 *
 * @param mixed $title A post's title.
 * @return mixed
 */
function gym_live_checkins_title_as_text( $title ) {
	return is_string( $title ) && false !== strpos( $title, '[gym_live_checkins' ) ? str_replace( '[gym_live_checkins', '&#91;gym_live_checkins', $title ) : $title;
}
add_filter( 'the_title', 'gym_live_checkins_title_as_text', 999 );
