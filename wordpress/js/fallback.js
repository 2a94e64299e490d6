/**
 * Printed just before the widgets' module. When the module does not arrive
 * (404, an integrity mismatch after a file was changed, a blocked CDN), the
 * browser fires `error` on its script tag: the line where the widgets go then
 * says "could not load" instead of "loading". Once the module has defined the
 * widgets, that line is no longer shown (they have no slot for it).
 */
( function () {
	'use strict';

	var MODULE = 'gym-live-checkins-js';

	function failed() {
		var lines = document.querySelectorAll( '.gym-live-checkins-fallback[data-failed]' );
		for ( var i = 0; i < lines.length; i++ ) {
			lines[ i ].textContent = lines[ i ].getAttribute( 'data-failed' );
			lines[ i ].setAttribute( 'data-state', 'failed' );
		}
	}

	// An element's `error` does not bubble: listen in the capture phase.
	window.addEventListener(
		'error',
		function ( event ) {
			if ( event.target && event.target.id === MODULE ) {
				failed();
			}
		},
		true
	);
} )();
