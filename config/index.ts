import path from 'node:path';
import zlib from 'node:zlib';
import CompressionPlugin from 'compression-webpack-plugin';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const root = path.resolve(__dirname, '..');
/** `@linli/shared` is TypeScript source; Taro's babel-loader skips it unless listed here. */
const sharedSource = path.join(root, 'shared');

/**
 * Where the mini-program calls the API. H5 is served by the API server itself, so it uses the same origin.
 * Override for a device build with `API_BASE_URL=https://… npm run build:weapp`.
 */
const apiBaseUrl =
  process.env.TARO_ENV === 'h5' ? '/api/v1' : (process.env.API_BASE_URL ?? 'http://localhost:3000/api/v1');

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli',
    date: '2025-11-23',
    // NutUI is designed at 375 px; our own styles at 750 (1px in a stylesheet = 1rpx).
    designWidth(input) {
      const file = typeof input === 'object' && input !== null ? (input as { file?: string }).file : undefined;
      if (file && file.replace(/\\/g, '/').includes('@nutui')) return 375;
      return 750;
    },
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'miniprogram',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      API_BASE_URL: JSON.stringify(apiBaseUrl),
      // WeChat subscription-message template ids asked for when a resident files a report (comma-separated).
      SUBSCRIBE_TEMPLATE_IDS: JSON.stringify((process.env.WX_SUBSCRIBE_TEMPLATE_IDS ?? '').split(',').map((id) => id.trim()).filter(Boolean)),
    },
    alias: {
      '@': path.join(root, 'miniprogram'),
    },
    // The H5 favicon at the site's root, where browsers ask for it.
    copy: { patterns: process.env.TARO_ENV === 'h5' ? [{ from: 'miniprogram/assets/favicon/favicon.ico', to: 'dist/h5/favicon.ico' }] : [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSource] },
      // NutUI's per-component CSS lands in the shared chunk in whatever order pages import it; it is order-independent.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: {
          enable: true,
          config: { selectorBlackList: ['nut-'] },
        },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedSource] },
      webpackChain(chain) {
        // Pages load as async chunks; share React, NutUI and @linli/shared between them instead of copying
        // them into every page chunk (Taro's default splits initial chunks only).
        chain.optimization.merge({ splitChunks: { chunks: 'all' } });
        // Gzip and Brotli copies beside each script, style and page, made once at build time: the server
        // sends the one the browser accepts (a third of the bytes on a slow phone) without compressing
        // on every request.
        if (process.env.NODE_ENV === 'production') {
          const compressible = /\.(js|css|html|svg)$/;
          chain.plugin('gzip').use(CompressionPlugin, [{ test: compressible, threshold: 1024, minRatio: 0.9, filename: '[path][base].gz', algorithm: 'gzip' }]);
          chain.plugin('brotli').use(CompressionPlugin, [
            { test: compressible, threshold: 1024, minRatio: 0.9, filename: '[path][base].br', algorithm: 'brotliCompress', compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } } },
          ]);
        }
      },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        pxtransform: {
          enable: true,
          // The root font size follows the window's width (the shorter side) up to this: a 414 px phone's.
          // Without the cap a desk browser got 40 px (our text twice a phone's, beside NutUI's fixed px).
          config: { selectorBlackList: ['nut-'], maxRootSize: 22 },
        },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
