// Bottleneck's light build (no Redis), the one the Octokit plugins use, ships without its own types.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
