module.exports = {
  root: true,
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/eslint-recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:react/recommended',
    'plugin:prettier/recommended'
  ],
  parser: '@typescript-eslint/parser',
  parserOptions: {
    ecmaVersion: 2020,
    sourceType: 'module'
  },
  plugins: ['@typescript-eslint', 'react'],
  settings: { react: { version: '18' } },
  rules: {
    '@typescript-eslint/naming-convention': [
      'error',
      {
        selector: 'interface',
        format: ['PascalCase'],
        custom: { regex: '^I[A-Z]', match: true }
      }
    ],
    '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
    '@typescript-eslint/no-explicit-any': 'off',
    'react/no-danger': 'error',
    'no-restricted-properties': [
      'error',
      { property: 'innerHTML', message: 'Render server strings as text.' },
      { property: 'outerHTML', message: 'Render server strings as text.' }
    ],
    curly: ['error', 'all'],
    eqeqeq: 'error',
    'prefer-arrow-callback': 'error'
  },
  overrides: [
    {
      files: ['ui-tests/**/*.ts'],
      rules: { '@typescript-eslint/naming-convention': 'off' }
    }
  ]
};
