<?php
/**
 * Finds the start tags in a piece of HTML as a browser does, and pins the
 * attributes that decide where a visitor's access token goes.
 *
 * WordPress 6.1 has no HTML tag processor (WP_HTML_Tag_Processor came with
 * 6.2), and kses finds a tag's end at the first ">", quotes or not, while a
 * browser reads name='value', name=value, "/" between attributes and ">"
 * inside quotes. So this follows the HTML standard's tokenizer (tags,
 * attributes, comments, raw text elements), and every tag it pins is written
 * anew from what it read: the browser then reads exactly the attributes that
 * were checked. Plain PHP: no WordPress function is needed here.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The attributes that send or hand out a visitor's access token, on the widgets' tags. */
const GYM_LIVE_CHECKINS_CONNECTION_ATTRIBUTES = array( 'url', 'token-url', 'history-url', 'search-url', 'visits-url' );

/**
 * Lower-cases ASCII letters only, as HTML does with tag and attribute names
 * (strtolower follows the locale before PHP 8.2).
 *
 * @param string $text Text.
 * @return string
 */
function gym_live_checkins_ascii_lower( $text ) {
	return strtr( $text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz' );
}

/**
 * The start tags of `$html`, in order, as a browser's tokenizer reads them:
 * not inside comments, and not inside the text of script, style, textarea,
 * title and the other raw text elements (given apart).
 *
 * @param string $html HTML.
 * @return array{tags: array<int, array{start: int, end: int, name: string, attributes: array<int, array{0: string, 1: ?string}>, self_closing: bool}>, raw: array<int, array{0: int, 1: int}>, cut: ?int}
 *         tags: each tag's offsets (end: just after its ">"), its name (lower case) and its attributes,
 *         [name in lower case, value as written or null when it has none], the first of each name only;
 *         raw: the offsets where each raw text starts and ends; cut: where a tag starts that the end of
 *         the text cuts off (a browser drops it at the end of a page, but text that follows could end it).
 */
function gym_live_checkins_html_tags( $html ) {
	$tags   = array();
	$raws   = array();
	$cut    = null;
	$length = strlen( $html );
	$raw    = array( 'script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title' );
	$at     = 0;
	while ( $at < $length ) {
		$open = strpos( $html, '<', $at );
		if ( false === $open ) {
			break;
		}
		$next = $open + 1 < $length ? $html[ $open + 1 ] : '';
		if ( '!' === $next ) {
			$at = '<!--' === substr( $html, $open, 4 ) ? gym_live_checkins_html_comment_end( $html, $open + 4 ) : gym_live_checkins_html_bogus_comment_end( $html, $open );
			continue;
		}
		if ( '?' === $next ) {
			$at = gym_live_checkins_html_bogus_comment_end( $html, $open );
			continue;
		}
		$closing = '/' === $next;
		$name_at = $closing ? $open + 2 : $open + 1;
		if ( $name_at >= $length || ! ctype_alpha( $html[ $name_at ] ) ) {
			if ( ! $closing ) {
				// A "<" that starts no tag is text.
				$at = $open + 1;
			} elseif ( $name_at < $length && '>' === $html[ $name_at ] ) {
				$at = $name_at + 1;
			} else {
				$at = gym_live_checkins_html_bogus_comment_end( $html, $open );
			}
			continue;
		}
		$tag = gym_live_checkins_html_read_tag( $html, $name_at );
		if ( null === $tag ) {
			$cut = $open;
			break;
		}
		$at = $tag['end'];
		if ( $closing ) {
			continue;
		}
		$tag['start'] = $open;
		$tags[]       = $tag;
		if ( 'plaintext' === $tag['name'] ) {
			break;
		}
		if ( in_array( $tag['name'], $raw, true ) ) {
			$start  = $at;
			$at     = gym_live_checkins_html_raw_text_end( $html, $at, $tag['name'] );
			$raws[] = array( $start, $at );
		}
	}
	return array(
		'tags' => $tags,
		'raw'  => $raws,
		'cut'  => $cut,
	);
}

/**
 * Where a comment that opened just before `$at` ends ("-->", "--!>", or the
 * abrupt "<!-->" and "<!--->"); the end of the text when it never does.
 *
 * @param string $html HTML.
 * @param int    $at   Offset just after "<!--".
 * @return int Offset after the comment.
 */
function gym_live_checkins_html_comment_end( $html, $at ) {
	if ( '>' === substr( $html, $at, 1 ) ) {
		return $at + 1;
	}
	if ( '->' === substr( $html, $at, 2 ) ) {
		return $at + 2;
	}
	$ends = array();
	foreach ( array( '-->', '--!>' ) as $closer ) {
		$found = strpos( $html, $closer, $at );
		if ( false !== $found ) {
			$ends[] = $found + strlen( $closer );
		}
	}
	return $ends ? min( $ends ) : strlen( $html );
}

/**
 * Where a bogus comment ("<!DOCTYPE …>", "<?…>", "</ …>") ends: after the next ">".
 *
 * @param string $html HTML.
 * @param int    $at   Offset of its "<".
 * @return int
 */
function gym_live_checkins_html_bogus_comment_end( $html, $at ) {
	$close = strpos( $html, '>', $at );
	return false === $close ? strlen( $html ) : $close + 1;
}

/**
 * Where the text of a raw text element (script, style, textarea …) ends: at
 * its end tag, "</name" followed by a space, "/" or ">".
 *
 * @param string $html HTML.
 * @param int    $at   Offset after the element's start tag.
 * @param string $name The element's name, lower case.
 * @return int Offset of the end tag's "<", or the end of the text.
 */
function gym_live_checkins_html_raw_text_end( $html, $at, $name ) {
	$length = strlen( $html );
	while ( $at < $length ) {
		$found = stripos( $html, '</' . $name, $at );
		if ( false === $found ) {
			return $length;
		}
		$after = $found + 2 + strlen( $name );
		if ( $after >= $length || false !== strpos( " \t\n\f\r/>", $html[ $after ] ) ) {
			return $found;
		}
		$at = $found + 1;
	}
	return $length;
}

/**
 * Reads a tag's name and attributes, from its name on, as the HTML tokenizer
 * does (the states "tag name" to "after attribute value").
 *
 * @param string $html    HTML.
 * @param int    $name_at Offset of the tag name's first letter.
 * @return array{end: int, name: string, attributes: array<int, array{0: string, 1: ?string}>, self_closing: bool}|null
 *         Null when the text ends inside the tag.
 */
function gym_live_checkins_html_read_tag( $html, $name_at ) {
	$length = strlen( $html );
	$space  = " \t\n\f\r";
	$at     = $name_at + strcspn( $html, $space . '/>', $name_at );
	$tag    = array(
		'end'          => 0,
		'name'         => gym_live_checkins_ascii_lower( substr( $html, $name_at, $at - $name_at ) ),
		'attributes'   => array(),
		'self_closing' => false,
	);
	$seen   = array();
	while ( true ) {
		$at += strspn( $html, $space, $at );
		if ( $at >= $length ) {
			return null;
		}
		if ( '>' === $html[ $at ] ) {
			$tag['end'] = $at + 1;
			return $tag;
		}
		if ( '/' === $html[ $at ] ) {
			if ( $at + 1 < $length && '>' === $html[ $at + 1 ] ) {
				$tag['self_closing'] = true;
				$tag['end']          = $at + 2;
				return $tag;
			}
			++$at;
			continue;
		}
		// An attribute's name: its first character may be anything left (even "="), then up to a space, "/", ">" or "=".
		$start = $at;
		++$at;
		$at  += strcspn( $html, $space . '/>=', $at );
		$name = gym_live_checkins_ascii_lower( substr( $html, $start, $at - $start ) );
		$at  += strspn( $html, $space, $at );
		if ( $at >= $length ) {
			return null;
		}
		$value = null;
		if ( '=' === $html[ $at ] ) {
			++$at;
			$at += strspn( $html, $space, $at );
			if ( $at >= $length ) {
				return null;
			}
			$quote = $html[ $at ];
			if ( '"' === $quote || "'" === $quote ) {
				$close = strpos( $html, $quote, $at + 1 );
				if ( false === $close ) {
					return null;
				}
				$value = substr( $html, $at + 1, $close - $at - 1 );
				$at    = $close + 1;
			} elseif ( '>' === $quote ) {
				$value = '';
			} else {
				$end   = $at + strcspn( $html, $space . '>', $at );
				$value = substr( $html, $at, $end - $at );
				$at    = $end;
			}
		}
		// A repeated attribute is dropped by the browser: the first one counts.
		if ( ! isset( $seen[ $name ] ) ) {
			$seen[ $name ]       = true;
			$tag['attributes'][] = array( $name, $value );
		}
	}
}

/**
 * Writes a start tag: name="value" for each attribute, double-quoted.
 *
 * @param string                                 $name         Tag name.
 * @param array<int, array{0: string, 1: ?string}> $attributes   Names and values (as HTML: entities stay), null for none.
 * @param bool                                   $self_closing Whether it ended in "/>".
 * @return string
 */
function gym_live_checkins_html_write_tag( $name, array $attributes, $self_closing ) {
	$html = '<' . $name;
	foreach ( $attributes as $attribute ) {
		// Only names a browser reads back as the same one name.
		if ( ! preg_match( '/^[^\s"\'>\/=<\x00-\x1f\x7f][^\s"\'>\/=<\x00-\x1f\x7f]*$/', $attribute[0] ) ) {
			continue;
		}
		$html .= ' ' . $attribute[0] . ( null === $attribute[1] ? '' : '="' . str_replace( '"', '&quot;', $attribute[1] ) . '"' );
	}
	return $html . ( $self_closing ? ' />' : '>' );
}

/**
 * An attribute value as the browser reads it: character references decoded, spaces trimmed.
 *
 * @param string $value The value as written.
 * @return string
 */
function gym_live_checkins_html_value( $value ) {
	return trim( html_entity_decode( $value, ENT_QUOTES | ENT_HTML5, 'UTF-8' ), " \t\n\f\r" );
}

/**
 * Keeps where the widgets in `$html` send tokens to the allowed addresses.
 *
 * On every `<gym-*>` tag, and on every tag with a data-gym-widget attribute
 * (as data-url …), a connection attribute (see
 * GYM_LIVE_CHECKINS_CONNECTION_ATTRIBUTES) stays only when it is the allowed
 * value, or when `$trusts` says the tag may keep its own; otherwise it is
 * removed. A provider left without a socket URL then gets the attributes in
 * `$defaults` that it lacks (so it uses the settings). Each such tag is
 * written anew from what was read.
 *
 * @param string                $html     HTML.
 * @param array<string, string> $allowed  Attribute name => the one value it may have ('' for none).
 * @param callable|null         $trusts   Given a tag as written, whether it may keep its own values (a function returning bool); null trusts none.
 * @param array<string, string> $defaults Attribute name => value, for a provider without a URL.
 * @param callable|null         $kept     Called with each tag, as written anew, that kept a value because it was trusted.
 * @return string
 */
function gym_live_checkins_pin_html( $html, array $allowed, $trusts = null, array $defaults = array(), $kept = null ) {
	return gym_live_checkins_pin_part( $html, compact( 'allowed', 'trusts', 'defaults', 'kept' ), true );
}

/**
 * Does gym_live_checkins_pin_html()'s work on `$html`: markup (`$markup`), or
 * the text of a raw text element, read as markup too (inside SVG or MathML a
 * browser does), where only the tags that change are written anew.
 *
 * @param string $html   HTML.
 * @param array  $rules  The allowed, trusts, defaults and kept of gym_live_checkins_pin_html().
 * @param bool   $markup Whether `$html` is markup rather than the text of a raw text element.
 * @return string
 */
function gym_live_checkins_pin_part( $html, array $rules, $markup ) {
	if ( false === stripos( $html, '<gym-' ) && false === stripos( $html, 'data-gym-widget' ) ) {
		return $html;
	}
	$read   = gym_live_checkins_html_tags( $html );
	$pieces = array();
	foreach ( $read['tags'] as $tag ) {
		$pieces[ $tag['start'] ] = array( $tag['end'], gym_live_checkins_pin_tag( substr( $html, $tag['start'], $tag['end'] - $tag['start'] ), $tag, $rules, $markup ) );
	}
	foreach ( $read['raw'] as $raw ) {
		$text                = substr( $html, $raw[0], $raw[1] - $raw[0] );
		$pieces[ $raw[0] ] = array( $raw[1], gym_live_checkins_pin_part( $text, $rules, false ) );
	}
	if ( $markup && null !== $read['cut'] ) {
		// Shown as text: what follows this HTML on the page must not complete the tag.
		$pieces[ $read['cut'] ] = array( $read['cut'] + 1, '&lt;' );
	}
	ksort( $pieces );
	$out = '';
	$at  = 0;
	foreach ( $pieces as $start => $piece ) {
		$out .= substr( $html, $at, $start - $at ) . $piece[1];
		$at   = $piece[0];
	}
	return $out . substr( $html, $at );
}

/**
 * Pins one start tag (see gym_live_checkins_pin_html()).
 *
 * @param string $written The tag as written.
 * @param array  $tag     The tag as gym_live_checkins_html_tags() read it.
 * @param array  $rules   The allowed, trusts, defaults and kept of gym_live_checkins_pin_html().
 * @param bool   $markup  Whether to write every such tag anew, or only one that changes.
 * @return string The tag to show.
 */
function gym_live_checkins_pin_tag( $written, array $tag, array $rules, $markup ) {
	$widget = array_search( 'data-gym-widget', array_column( $tag['attributes'], 0 ), true );
	if ( 0 !== strpos( $tag['name'], 'gym-' ) && false === $widget ) {
		return $written;
	}
	$element  = 0 === strpos( $tag['name'], 'gym-' );
	$prefix   = $element ? '' : 'data-';
	$provider = 'gym-realtime-provider' === $tag['name'] || ( false !== $widget && 'realtime-provider' === gym_live_checkins_html_value( (string) $tag['attributes'][ $widget ][1] ) );
	$trusted  = null;
	$used     = false;
	$changed  = false;
	$present  = array();
	$attrs    = array();
	foreach ( $tag['attributes'] as $attribute ) {
		// A widget's own attributes, and on a data-gym-widget block their data- forms (a tag can be both).
		$name = '';
		if ( $element && in_array( $attribute[0], GYM_LIVE_CHECKINS_CONNECTION_ATTRIBUTES, true ) ) {
			$name = $attribute[0];
		} elseif ( false !== $widget && 0 === strpos( $attribute[0], 'data-' ) ) {
			$name = substr( $attribute[0], 5 );
		}
		if ( ! in_array( $name, GYM_LIVE_CHECKINS_CONNECTION_ATTRIBUTES, true ) ) {
			$attrs[] = $attribute;
			continue;
		}
		$value = gym_live_checkins_html_value( (string) $attribute[1] );
		$only  = isset( $rules['allowed'][ $name ] ) ? $rules['allowed'][ $name ] : '';
		if ( '' !== $only && $value === $only ) {
			$attrs[]          = array( $attribute[0], htmlspecialchars( $only, ENT_QUOTES, 'UTF-8' ) );
			$present[ $name ] = true;
			continue;
		}
		if ( null === $trusted ) {
			$trusted = null !== $rules['trusts'] && (bool) call_user_func( $rules['trusts'], $written );
		}
		if ( $trusted ) {
			$attrs[]          = $attribute;
			$present[ $name ] = true;
			$used             = true;
			continue;
		}
		$changed = true;
		if ( 'url' === $name ) {
			// A block that named its own socket gets the settings' one.
			$provider = true;
		}
	}
	if ( $provider && ! isset( $present['url'] ) ) {
		foreach ( $rules['defaults'] as $name => $value ) {
			if ( '' !== $value && ! isset( $present[ $name ] ) ) {
				$attrs[] = array( $prefix . $name, htmlspecialchars( $value, ENT_QUOTES, 'UTF-8' ) );
				$changed = true;
			}
		}
	}
	if ( ! $markup && ! $changed ) {
		return $written;
	}
	$rewritten = gym_live_checkins_html_write_tag( $tag['name'], $attrs, $tag['self_closing'] );
	if ( $used && null !== $rules['kept'] ) {
		call_user_func( $rules['kept'], $rewritten );
	}
	return $rewritten;
}
