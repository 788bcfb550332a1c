// @hey-api/openapi-ts: one job per service, each into src/generated/<service>/ (never edited by
// hand; `bash generate.sh` rewrites them from ../openapi/<service>.json).
const services = ['auth', 'point', 'cluster', 'reward', 'notification'];

export default services.map((service) => ({
  input: `../openapi/${service}.json`,
  output: { path: `src/generated/${service}`, importFileExtension: '.js' },
  plugins: [
    '@hey-api/client-fetch',
    '@hey-api/typescript',
    { name: '@hey-api/transformers', dates: true, bigInt: false },
    { name: '@hey-api/sdk', transformer: true },
  ],
}));
