/**
 * Settings → Live check-ins, with a script source set: fetches, from the
 * administrator's browser (which reaches the CDN as visitors' browsers do),
 * the module and every chunk it imports from beside it, each with the hash
 * the plugin prints for it, and says under the field which ones would not
 * load: missing (a 404: the folder was not copied whole), refused (no CORS
 * header) or not this version's file. The data comes from the settings page
 * (window.gymLiveCheckinsCdnCheck, includes/settings.php).
 */
( function () {
	'use strict';

	var data = window.gymLiveCheckinsCdnCheck;
	var box = document.getElementById( 'gym-live-checkins-cdn-check' );
	if ( ! data || ! box || typeof window.fetch !== 'function' ) {
		return;
	}

	/** Fills in %s, %d and %1$s… as sprintf() does. */
	function format( text ) {
		var values = Array.prototype.slice.call( arguments, 1 );
		var next = 0;
		return text.replace( /%(?:(\d+)\$)?[sd]/g, function ( match, position ) {
			var value = position ? values[ Number( position ) - 1 ] : values[ next++ ];
			return String( value );
		} );
	}

	function name( url ) {
		return url.replace( /[?#].*$/, '' ).replace( /^.*\//, '' );
	}

	function request( file, withIntegrity ) {
		var options = { mode: 'cors', credentials: 'omit', cache: 'no-store' };
		if ( withIntegrity ) {
			options.integrity = file.integrity;
		}
		return window.fetch( file.url, options );
	}

	/** Resolves to '' when the file loads as the browser would load it, or why not. */
	function check( file ) {
		return request( file, true ).then(
			function ( response ) {
				return response.ok ? '' : format( data.text.missing, name( file.url ), response.status );
			},
			function () {
				// Refused: ask again without the hash, to tell a missing file, a refused request and another file apart.
				return request( file, false ).then(
					function ( response ) {
						return response.ok ? format( data.text.mismatch, name( file.url ) ) : format( data.text.missing, name( file.url ), response.status );
					},
					function () {
						return format( data.text.unreachable, name( file.url ) );
					}
				);
			}
		);
	}

	function show( kind, text, problems ) {
		box.className = 'notice notice-' + kind + ' inline';
		box.setAttribute( 'data-state', kind );
		var paragraph = document.createElement( 'p' );
		paragraph.textContent = text;
		var children = [ paragraph ];
		if ( problems.length ) {
			var list = document.createElement( 'ul' );
			problems.forEach( function ( problem ) {
				var item = document.createElement( 'li' );
				item.textContent = problem;
				list.appendChild( item );
			} );
			children.push( list );
		}
		box.replaceChildren.apply( box, children );
	}

	var chunks = data.files.length - 1;
	show( 'info', format( data.text.checking, chunks, data.version ), [] );
	Promise.all( data.files.map( check ) ).then( function ( results ) {
		var problems = results.filter( Boolean );
		if ( problems.length ) {
			show( 'error', format( data.text.failed, data.version ), problems );
		} else {
			show( 'success', format( data.text.ok, chunks, data.version ), [] );
		}
	} );
} )();
