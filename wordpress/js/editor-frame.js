/**
 * Loaded in the block editor's iframes (Site Editor, template mode, tablet and
 * mobile previews) before the widgets' classic script: copies the admin page's
 * gym-realtime-policy meta into the iframe's head, where the widgets read it.
 * The iframe is built by WordPress from the editor page (same origin).
 */
( function () {
	'use strict';

	var parent = window.parent;
	if ( ! parent || parent === window || ! document.head ) {
		return;
	}
	var metas;
	try {
		metas = parent.document.head.querySelectorAll( 'meta[name="gym-realtime-policy"]' );
	} catch {
		// Another origin's page: nothing to copy.
		return;
	}
	for ( var i = 0; i < metas.length; i++ ) {
		var meta = document.createElement( 'meta' );
		meta.setAttribute( 'name', 'gym-realtime-policy' );
		meta.setAttribute( 'content', metas[ i ].getAttribute( 'content' ) || '' );
		document.head.appendChild( meta );
	}
} )();
