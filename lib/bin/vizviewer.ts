#!/usr/bin/env node
import {vizviewerMain} from '../cli/vizviewer.js';

process.exitCode = await vizviewerMain(process.argv.slice(2), {
	stdout: text => process.stdout.write(text),
	stderr: text => process.stderr.write(text),
});
