// Two self-contained IIFE bundles; the socket.io client is compiled in so the
// pages fetch nothing from anywhere but the bridge.
import { build } from 'esbuild';

const common = {
  bundle: true,
  format: 'iife',
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  platform: 'browser',
  legalComments: 'linked',
  logLevel: 'info',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/widget.js'], outfile: 'dist/calor-widget.js', globalName: 'CalorChat' }),
  build({ ...common, entryPoints: ['src/console.js'], outfile: 'dist/calor-console.js', globalName: 'CalorConsole' }),
]);
