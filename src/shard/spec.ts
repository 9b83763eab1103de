/** Which part of a sharded run this process is (issue #12). */
export interface ShardSpec {
  /** 1-based: shard 1 of 4 is `--shard 1/4`. */
  index: number;
  total: number;
}
