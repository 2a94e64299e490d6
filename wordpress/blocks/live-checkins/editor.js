/**
 * The "Live check-ins" block in the editor: plain JavaScript on WordPress's
 * globals, no build step. The block is rendered on the server (save returns
 * null); the preview is that server rendering, with the real widgets live in it.
 */
( function ( wp ) {
	'use strict';

	const { registerBlockType } = wp.blocks;
	const { createElement: el, Fragment } = wp.element;
	const { InspectorControls, useBlockProps } = wp.blockEditor;
	const { CheckboxControl, Disabled, PanelBody, RangeControl, SelectControl, TextControl, ToggleControl } = wp.components;
	const { __ } = wp.i18n;
	const ServerSideRender = wp.serverSideRender;

	const NAME = 'gym-realtime-widgets/live-checkins';
	const WIDGETS = [
		{ name: 'status', label: __( 'Connection status', 'gym-realtime-widgets' ) },
		{ name: 'stats', label: __( 'Figures (in the gym now, today, average stay)', 'gym-realtime-widgets' ) },
		{ name: 'feed', label: __( 'Feed of recent check-ins', 'gym-realtime-widgets' ) },
		{ name: 'form', label: __( 'Check-in form (staff)', 'gym-realtime-widgets' ) },
	];
	const THEMES = [
		{ value: '', label: __( 'Site default (Settings → Live check-ins)', 'gym-realtime-widgets' ) },
		{ value: 'light', label: __( 'Light', 'gym-realtime-widgets' ) },
		{ value: 'dark', label: __( 'Dark', 'gym-realtime-widgets' ) },
		{ value: 'auto', label: __( "Auto: follows the visitor's system", 'gym-realtime-widgets' ) },
	];
	const NAMES = [
		{ value: '', label: __( 'Full names (the widget\'s default)', 'gym-realtime-widgets' ) },
		{ value: 'first', label: __( 'First name and initial ("Alice E.")', 'gym-realtime-widgets' ) },
		{ value: 'initials', label: __( 'Initials ("A. E.")', 'gym-realtime-widgets' ) },
		{ value: 'none', label: __( 'No names', 'gym-realtime-widgets' ) },
	];
	const OVERRIDE_HELP = __( 'Empty: the value from Settings → Live check-ins.', 'gym-realtime-widgets' );
	const editorSettings = window.gymLiveCheckinsEditor || {};
	// Only when both the editing user and the post's author may post unfiltered HTML can a block
	// connect elsewhere: otherwise the server uses the settings' URLs, which receive visitors' tokens.
	const canChangeConnection = Boolean( editorSettings.canChangeConnection );
	// The check-in form needs a staff token: it is offered only when the settings have a token URL.
	const hasTokenUrl = Boolean( editorSettings.hasTokenUrl );
	const offered = WIDGETS.filter( ( widget ) => widget.name !== 'form' || hasTokenUrl );

	function Edit( props ) {
		const { attributes, setAttributes } = props;
		const widgets = attributes.widgets || [];
		// Kept in page order, so the saved list does not depend on the order of clicks.
		const toggle = ( name, on ) =>
			setAttributes( {
				widgets: WIDGETS.map( ( widget ) => widget.name ).filter( ( other ) => ( other === name ? on : widgets.includes( other ) ) ),
			} );
		const urlControl = ( key, label ) =>
			el( TextControl, {
				label,
				help: OVERRIDE_HELP,
				value: attributes[ key ],
				onChange: ( value ) => setAttributes( { [ key ]: value.trim() } ),
			} );

		return el(
			Fragment,
			null,
			el(
				InspectorControls,
				null,
				el(
					PanelBody,
					{ title: __( 'Widgets', 'gym-realtime-widgets' ) },
					el( TextControl, {
						label: __( 'Heading', 'gym-realtime-widgets' ),
						help: __( 'Optional: shown above the widgets.', 'gym-realtime-widgets' ),
						value: attributes.heading,
						onChange: ( value ) => setAttributes( { heading: value } ),
					} ),
					offered.map( ( widget ) =>
						el( CheckboxControl, {
							key: widget.name,
							label: widget.label,
							checked: widgets.includes( widget.name ),
							onChange: ( on ) => toggle( widget.name, on ),
						} )
					),
					el( RangeControl, {
						label: __( 'Feed length', 'gym-realtime-widgets' ),
						min: 1,
						max: 50,
						value: attributes.limit,
						disabled: ! widgets.includes( 'feed' ),
						onChange: ( value ) => setAttributes( { limit: Number.isInteger( value ) ? value : 5 } ),
					} ),
					el( SelectControl, {
						label: __( 'Names in the feed', 'gym-realtime-widgets' ),
						help: __( 'The public gateway may shorten names already; this can only shorten them further.', 'gym-realtime-widgets' ),
						value: attributes.names,
						options: NAMES,
						disabled: ! widgets.includes( 'feed' ),
						onChange: ( value ) => setAttributes( { names: value } ),
					} ),
					el( ToggleControl, {
						label: __( 'Pop-up for each check-in', 'gym-realtime-widgets' ),
						checked: Boolean( attributes.notify ),
						disabled: ! widgets.includes( 'feed' ),
						onChange: ( on ) => setAttributes( { notify: on } ),
					} ),
					el( SelectControl, {
						label: __( 'Theme', 'gym-realtime-widgets' ),
						value: attributes.theme,
						options: THEMES,
						onChange: ( value ) => setAttributes( { theme: value } ),
					} )
				),
				canChangeConnection &&
					el(
						PanelBody,
						{ title: __( 'Connection', 'gym-realtime-widgets' ), initialOpen: false },
						urlControl( 'socketUrl', __( 'Socket URL', 'gym-realtime-widgets' ) ),
						urlControl( 'tokenUrl', __( 'Token URL', 'gym-realtime-widgets' ) ),
						urlControl( 'historyUrl', __( 'History URL', 'gym-realtime-widgets' ) ),
						urlControl( 'searchUrl', __( 'Member search URL', 'gym-realtime-widgets' ) ),
						urlControl( 'visitsUrl', __( 'Member visits URL', 'gym-realtime-widgets' ) ),
						el( 'p', null, __( "Another server also has to be listed in the page's policy (the gym_live_checkins_policy_origins filter), or the widgets refuse to send it a token.", 'gym-realtime-widgets' ) )
					)
			),
			el(
				'div',
				useBlockProps(),
				widgets.length === 0
					? el( 'p', null, __( 'Choose the widgets to show in the block settings.', 'gym-realtime-widgets' ) )
					: // Disabled: the preview is live, but a click selects the block rather than checking someone in.
					  el( Disabled, null, el( ServerSideRender, { block: NAME, attributes } ) )
			)
		);
	}

	registerBlockType( NAME, {
		edit: Edit,
		save: () => null,
	} );
} )( window.wp );
