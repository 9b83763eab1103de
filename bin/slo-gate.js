#!/usr/bin/env node
// The CLI, from the committed bundle (dist/cli.js, every dependency inside): it runs the same from a clone
// after `npm ci` and from the installed npm package, with no build step and no node_modules of its own.
import '../dist/cli.js';
