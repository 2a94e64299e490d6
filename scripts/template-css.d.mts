/** See template-css.mjs. */
export function minifyTemplateCss(code: string): string;
