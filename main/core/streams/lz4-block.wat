;; LZ4's block format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md), decoded in
;; WebAssembly for lz4-frame.ts, which parses the frame around the blocks and owns this memory.
;; A worker decompresses every batch of an lz4 topic; a native decoder allocates each batch's
;; records in an allocator of its own that keeps what it freed (30 MiB of a worker's peak), and a
;; decoder in JavaScript costs several times the CPU. This one writes into memory it keeps.
;;
;; Copies go 16 bytes at a time where they may: the caller leaves 16 bytes of slack after the
;; input and after the room for the output, and a copy past a sequence's end is written over by the
;; next sequence (or left in the slack).
(module
  (memory (export "memory") 1)

  ;; Reads a length's extra bytes (each added while it is 255) from $src; returns the new $src,
  ;; the length in the global $length, or -1 (no address) past $end.
  (global $length (mut i32) (i32.const 0))
  (func $extra (param $src i32) (param $end i32) (param $length i32) (result i32)
    (local $byte i32)
    (loop $more
      (if (i32.ge_u (local.get $src) (local.get $end)) (then (return (i32.const -1))))
      (local.set $byte (i32.load8_u (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      (local.set $length (i32.add (local.get $length) (local.get $byte)))
      (br_if $more (i32.eq (local.get $byte) (i32.const 255))))
    (global.set $length (local.get $length))
    (local.get $src))

  ;; Copies $n bytes from $from to $to, 16 at a time (may write up to 15 bytes past $to + $n).
  ;; $from + 16 must not pass $to while the copy reads what it writes (a match's offset >= 16).
  (func $wild (param $to i32) (param $from i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $to) (local.get $n)))
    (loop $chunk
      (v128.store (local.get $to) (v128.load (local.get $from)))
      (local.set $to (i32.add (local.get $to) (i32.const 16)))
      (local.set $from (i32.add (local.get $from) (i32.const 16)))
      (br_if $chunk (i32.lt_u (local.get $to) (local.get $end)))))

  ;; Decodes the block at [$src, $end) to $dst, with room up to $limit; a match may reach back to
  ;; $start (the frame's first output byte: linked blocks refer to earlier ones). Returns where the
  ;; output ends, or -1 when the block is malformed: a length past the input or the room, or a
  ;; match from before $start.
  (func (export "block") (param $src i32) (param $end i32) (param $dst i32) (param $limit i32) (param $start i32) (result i32)
    (local $token i32)
    (local $n i32)
    (local $offset i32)
    (local $from i32)
    (local $piece i32)
    (loop $sequence
      (if (i32.ge_u (local.get $src) (local.get $end)) (then (return (i32.const -1))))
      (local.set $token (i32.load8_u (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      ;; Literals.
      (local.set $n (i32.shr_u (local.get $token) (i32.const 4)))
      (if (i32.eq (local.get $n) (i32.const 15))
        (then
          (local.set $src (call $extra (local.get $src) (local.get $end) (local.get $n)))
          (if (i32.eq (local.get $src) (i32.const -1)) (then (return (i32.const -1))))
          (local.set $n (global.get $length))))
      (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $src))) (then (return (i32.const -1))))
      (if (i32.gt_u (local.get $n) (i32.sub (local.get $limit) (local.get $dst))) (then (return (i32.const -1))))
      (if (i32.le_u (local.get $n) (i32.const 16))
        (then (v128.store (local.get $dst) (v128.load (local.get $src))))
        (else (memory.copy (local.get $dst) (local.get $src) (local.get $n))))
      (local.set $src (i32.add (local.get $src) (local.get $n)))
      (local.set $dst (i32.add (local.get $dst) (local.get $n)))
      ;; The last sequence is its literals alone.
      (if (i32.eq (local.get $src) (local.get $end)) (then (return (local.get $dst))))
      ;; A match: an offset back into the output, then a length of at least 4.
      (if (i32.lt_u (i32.sub (local.get $end) (local.get $src)) (i32.const 2)) (then (return (i32.const -1))))
      (local.set $offset (i32.load16_u (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 2)))
      (if (i32.or (i32.eqz (local.get $offset)) (i32.gt_u (local.get $offset) (i32.sub (local.get $dst) (local.get $start))))
        (then (return (i32.const -1))))
      (local.set $n (i32.and (local.get $token) (i32.const 15)))
      (if (i32.eq (local.get $n) (i32.const 15))
        (then
          (local.set $src (call $extra (local.get $src) (local.get $end) (local.get $n)))
          (if (i32.eq (local.get $src) (i32.const -1)) (then (return (i32.const -1))))
          (local.set $n (global.get $length))))
      (local.set $n (i32.add (local.get $n) (i32.const 4)))
      (if (i32.gt_u (local.get $n) (i32.sub (local.get $limit) (local.get $dst))) (then (return (i32.const -1))))
      (local.set $from (i32.sub (local.get $dst) (local.get $offset)))
      (if (i32.ge_u (local.get $offset) (i32.const 16))
        (then
          (call $wild (local.get $dst) (local.get $from) (local.get $n))
          (local.set $dst (i32.add (local.get $dst) (local.get $n))))
        (else
          ;; The match overlaps what it copies: the output repeats with period $offset, so copy
          ;; in pieces that end where the last began, each twice as long as the one before.
          (loop $repeat
            (local.set $piece (i32.sub (local.get $dst) (local.get $from)))
            (if (i32.gt_u (local.get $piece) (local.get $n)) (then (local.set $piece (local.get $n))))
            (memory.copy (local.get $dst) (local.get $from) (local.get $piece))
            (local.set $dst (i32.add (local.get $dst) (local.get $piece)))
            (local.set $n (i32.sub (local.get $n) (local.get $piece)))
            (br_if $repeat (local.get $n)))))
      (br $sequence))
    (i32.const -1))
)
