// bottleneck ships light.js (the in-memory limiter alone, one file) without its own declarations; it is the same
// class as the main entry minus the Redis datastores.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
