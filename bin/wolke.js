#!/usr/bin/env node
// `npx wolke <command>`: the operator CLI (scripts/wolke.ts) through tsx, so flags need no `--` as with npm run.
require('tsx/cjs');
require('../scripts/wolke.ts').start();
