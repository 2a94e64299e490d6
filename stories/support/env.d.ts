// What the stories read from Vite's `import.meta.env` (absent outside Vite, e.g. in the test runner).
interface ImportMetaEnv {
  readonly STORYBOOK_GYM_URL?: string;
}
interface ImportMeta {
  readonly env?: ImportMetaEnv;
}
