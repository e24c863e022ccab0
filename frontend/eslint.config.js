// ESLint flat config: TypeScript rules plus the React hooks rules, with
// exhaustive-deps as an error, and src/api/ as the only module that touches
// Wails (its globals and the generated wailsjs/).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'wailsjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat['recommended-latest'],
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/api/**', 'src/test/**', 'src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'go', message: 'Call the Go side through src/api.' },
        {
          object: 'window',
          property: 'runtime',
          message: 'Use the Wails runtime through src/api.',
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/wailsjs/**'], message: 'Only src/api imports the bindings.' }] },
      ],
    },
  },
  {
    files: ['*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
);
