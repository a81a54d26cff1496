#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm ci` (prepare) and `npm run build`.
require('../dist/cli/main.js');
