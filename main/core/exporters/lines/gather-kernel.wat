;; The exporter's hot loop in WebAssembly: walk a record batch's records, and copy each value that
;; is already a line of a `.jsonl` file (json-bytes.ts says which: its automaton's table is
;; written into this memory by gather-kernel.ts) into the output, with its newline. It stops at the
;; first record it cannot take as it is (a tombstone, a value that is not a plain JSON object),
;; which JavaScript then handles, and resumes after it. A JavaScript loop over bytes costs about
;; 1.5 ns a byte here; this does the same walk, check and copy several times faster.
;;
;; Memory (set up by gather-kernel.ts):
;;   0      the automaton's table: 256 bytes per state
;;   32768  the open objects' keys: a hash set of 2048 slots (i32 each: the key's hash, its
;;          object's serial, its object's depth), open addressing; a slot whose object is not
;;          open (closed, or from an earlier call) counts as empty, so nothing is ever cleared
;;   57344  per open container, its serial (i32 each), up to 256
;;   58368  per open container, how many keys the open objects held when it opened (i32 each)
;;   61440  the open containers (one byte each, 1 an object, 0 an array), up to 256
;;   61696  the automaton's states the kernel needs (i32 each): objectStart, arrayStart, key,
;;          value, after, done, maxDepth, the bodies of a key's and a value's string, and colon
;;   61760  the results of the last call (i32 each; see below)
;;   65536  the input (a batch's decompressed records), then the output
(module
  (memory (export "memory") 1)

  (global $slots i32 (i32.const 32768))
  (global $serials i32 (i32.const 57344))
  (global $keysFrom i32 (i32.const 58368))
  ;; Every object opened gets the next serial, across calls: its keys' slots name it.
  (global $serial (mut i32) (i32.const 0))
  (global $stack i32 (i32.const 61440))
  (global $ids i32 (i32.const 61696))
  (global $results i32 (i32.const 61760))

  ;; A zigzag varint at $at: the value, with the position after it in results[7].
  (func $varint (param $at i32) (result i32)
    (local $result i32) (local $shift i32) (local $byte i32)
    (loop $more
      (local.set $byte (i32.load8_u (local.get $at)))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (local.set $result (i32.or (local.get $result) (i32.shl (i32.and (local.get $byte) (i32.const 0x7f)) (local.get $shift))))
      (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
      (br_if $more (i32.and (i32.ne (i32.and (local.get $byte) (i32.const 0x80)) (i32.const 0)) (i32.lt_u (local.get $shift) (i32.const 35)))))
    (i32.store (i32.add (global.get $results) (i32.const 28)) (local.get $at))
    (i32.xor (i32.shr_u (local.get $result) (i32.const 1)) (i32.sub (i32.const 0) (i32.and (local.get $result) (i32.const 1)))))

;; Whether bytes [$at, $end) are a plain JSON object (json-bytes.ts's isPlainJsonObject).
  (func $plain (export "plain") (param $at i32) (param $end i32) (result i32)
    (local $state i32) (local $depth i32) (local $keyBody i32) (local $valueBody i32) (local $chunk v128)
    (local $keyTop i32) (local $keyStart i32) (local $hash i32) (local $p i32) (local $slot i32) (local $at3 i32) (local $owner i32)
    (local $mask i32) (local $word i32)
    (local.set $keyBody (i32.load (i32.add (global.get $ids) (i32.const 28))))
    (local.set $valueBody (i32.load (i32.add (global.get $ids) (i32.const 32))))
    (if (i32.lt_s (i32.sub (local.get $end) (local.get $at)) (i32.const 2)) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u (local.get $at)) (i32.const 0x7b)) (then (return (i32.const 0))))
    (i32.store8 (global.get $stack) (i32.const 1))
    (global.set $serial (i32.add (global.get $serial) (i32.const 1)))
    (i32.store (global.get $serials) (global.get $serial))
    (i32.store (global.get $keysFrom) (i32.const 0))
    (local.set $depth (i32.const 1))
    (local.set $state (i32.load (global.get $ids)))
    (local.set $at (i32.add (local.get $at) (i32.const 1)))
    (block $end_of_value
      (loop $next
        ;; Inside a string, 16 bytes at a time while none is a quote, a backslash, a control
        ;; character or past ASCII (a signed byte below 0x20 is one of the last two): the table
        ;; would keep the string's state for each of them. Most of an event's bytes go so. The
        ;; chunk that holds one skips straight to it (its bitmask's lowest bit), so the table only
        ;; ever sees a string's special bytes, and its last bytes when fewer than 16 are left.
        (if (i32.or (i32.eq (local.get $state) (local.get $keyBody)) (i32.eq (local.get $state) (local.get $valueBody)))
          (then
            (block $special
              (loop $plain16
                (br_if $special (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
                (local.set $chunk (v128.load (local.get $at)))
                (local.set $mask (i8x16.bitmask (v128.or
                  (v128.or (i8x16.eq (local.get $chunk) (i8x16.splat (i32.const 0x22))) (i8x16.eq (local.get $chunk) (i8x16.splat (i32.const 0x5c))))
                  (i8x16.lt_s (local.get $chunk) (i8x16.splat (i32.const 0x20))))))
                (if (local.get $mask) (then (local.set $at (i32.add (local.get $at) (i32.ctz (local.get $mask)))) (br $special)))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (br $plain16)))))
        (br_if $end_of_value (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $state (i32.load8_u (i32.or (i32.shl (local.get $state) (i32.const 8)) (i32.load8_u (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $state) (i32.const 248)))
        ;; 248 a key opens, 249 a key closes, 250 open object, 251 open array, 252 close object,
        ;; 253 close array, 254 comma, 255 refused.
        (block $refused
          (block $comma
            (block $close
              (block $open
                (block $keyClose
                  (block $keyOpen
                    (br_table $keyOpen $keyClose $open $open $close $close $comma $refused (i32.sub (local.get $state) (i32.const 248))))
                  ;; a key opens: its bytes start after the quote
                  (local.set $keyStart (local.get $at))
                  (local.set $state (local.get $keyBody))
                  (br $next))
;; a key closes: hash its bytes (an escape: refused, two spellings of a name), then look
                ;; for it among its object's keys in the hash set, and add it
                (local.set $hash (i32.const 0x811c9dc5))
                (local.set $p (local.get $keyStart))
                ;; Four bytes at a time while four are left (a word holding a backslash: refused),
                ;; then byte by byte. Two keys of one hash are only refused (JavaScript then
                ;; checks the value), so the hash need only be cheap and spread well.
                (block $words
                  (loop $word4
                    (br_if $words (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (i32.sub (local.get $at) (i32.const 1))))
                    (local.set $word (i32.xor (i32.load (local.get $p)) (i32.const 0x5c5c5c5c)))
                    (br_if $refused (i32.and (i32.and (i32.sub (local.get $word) (i32.const 0x01010101)) (i32.xor (local.get $word) (i32.const -1))) (i32.const 0x80808080)))
                    (local.set $hash (i32.rotl (i32.mul (i32.xor (local.get $hash) (i32.load (local.get $p))) (i32.const 0x01000193)) (i32.const 13)))
                    (local.set $p (i32.add (local.get $p) (i32.const 4)))
                    (br $word4)))
                (block $hashed
                  (loop $byte
                    (br_if $hashed (i32.ge_u (local.get $p) (i32.sub (local.get $at) (i32.const 1))))
                    (br_if $refused (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x5c)))
                    (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32.load8_u (local.get $p))) (i32.const 0x01000193)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $byte)))
                ;; At most 1024 keys in the open objects: the set of 2048 slots is never over half full.
                (br_if $refused (i32.ge_u (local.get $keyTop) (i32.const 1024)))
                (local.set $slot (i32.sub (local.get $depth) (i32.const 1)))
                (local.set $owner (i32.load (i32.add (global.get $serials) (i32.shl (local.get $slot) (i32.const 2)))))
                (local.set $p (i32.and (i32.xor (local.get $hash) (i32.mul (local.get $owner) (i32.const 0x9e3779b1))) (i32.const 2047)))
                (block $placed
                  (loop $probe
                    (local.set $at3 (i32.add (global.get $slots) (i32.mul (local.get $p) (i32.const 12))))
                    ;; Empty unless its object is open: a depth below ours whose serial is the slot's.
                    (br_if $placed (i32.or
                      (i32.ge_u (i32.load offset=8 (local.get $at3)) (local.get $depth))
                      (i32.ne (i32.load offset=4 (local.get $at3))
                        (i32.load (i32.add (global.get $serials) (i32.shl (i32.load offset=8 (local.get $at3)) (i32.const 2)))))))
                    (br_if $refused (i32.and (i32.eq (i32.load offset=4 (local.get $at3)) (local.get $owner)) (i32.eq (i32.load (local.get $at3)) (local.get $hash))))
                    (local.set $p (i32.and (i32.add (local.get $p) (i32.const 1)) (i32.const 2047)))
                    (br $probe)))
                (i32.store (local.get $at3) (local.get $hash))
                (i32.store offset=4 (local.get $at3) (local.get $owner))
                (i32.store offset=8 (local.get $at3) (local.get $slot))
                (local.set $keyTop (i32.add (local.get $keyTop) (i32.const 1)))
                (local.set $state (i32.load (i32.add (global.get $ids) (i32.const 36))))
                (br $next))
              ;; open
              (br_if $refused (i32.ge_u (local.get $depth) (i32.load (i32.add (global.get $ids) (i32.const 24)))))
              (i32.store (i32.add (global.get $keysFrom) (i32.shl (local.get $depth) (i32.const 2))) (local.get $keyTop))
              (global.set $serial (i32.add (global.get $serial) (i32.const 1)))
              (i32.store (i32.add (global.get $serials) (i32.shl (local.get $depth) (i32.const 2))) (global.get $serial))
              (i32.store8 (i32.add (global.get $stack) (local.get $depth)) (i32.eq (local.get $state) (i32.const 250)))
              (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
              (local.set $state (select (i32.load (global.get $ids)) (i32.load (i32.add (global.get $ids) (i32.const 4))) (i32.eq (local.get $state) (i32.const 250))))
              (br $next))
            ;; close: the container must be of the bracket's kind
            (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
            (br_if $refused (i32.ne (i32.load8_u (i32.add (global.get $stack) (local.get $depth))) (i32.eq (local.get $state) (i32.const 252))))
            (local.set $keyTop (i32.load (i32.add (global.get $keysFrom) (i32.shl (local.get $depth) (i32.const 2)))))
            (local.set $state (select (i32.load (i32.add (global.get $ids) (i32.const 20))) (i32.load (i32.add (global.get $ids) (i32.const 16))) (i32.eqz (local.get $depth))))
            (br $next))
          ;; comma: a key follows in an object, a value in an array
          (local.set $state (select (i32.load (i32.add (global.get $ids) (i32.const 8))) (i32.load (i32.add (global.get $ids) (i32.const 12)))
            (i32.load8_u (i32.add (global.get $stack) (i32.sub (local.get $depth) (i32.const 1))))))
          (br $next))
        (return (i32.const 0))))
    (i32.eq (local.get $state) (i32.load (i32.add (global.get $ids) (i32.const 20)))))

  ;; Walks records from byte $at (record $index of $count) of the input ending at $inEnd, copying
  ;; plain values at or after offset delta $from, up to $through, to the output at $out until it
  ;; holds $outLimit bytes. Results (i32 at $results): 0 the stop reason (0 the batch's end, 1 a
  ;; record to hand to JavaScript, 2 the output is full, 3 past $through), 1 the position of the
  ;; next record, 2 its index, 3 the output's end, 4 records copied, 5 the first offset delta
  ;; copied (-1: none), 6 the last. On 1, the record at the position is the one to handle.
  (func (export "gather") (param $at i32) (param $index i32) (param $count i32) (param $inEnd i32)
      (param $out i32) (param $outLimit i32) (param $from i32) (param $through i32)
    (local $recordStart i32) (local $recordEnd i32) (local $delta i32) (local $keyLength i32)
    (local $value i32) (local $valueLength i32) (local $copied i32) (local $first i32) (local $last i32)
    (local $reason i32) (local $outStart i32)
    (local.set $first (i32.const -1))
    (local.set $last (i32.const -1))
    (local.set $outStart (local.get $out))
    (block $stop
      (loop $record
        (br_if $stop (i32.ge_u (local.get $index) (local.get $count)))
        (local.set $recordStart (local.get $at))
        (local.set $recordEnd (call $varint (local.get $at)))
        ;; A record of negative length, or past the input's end, is malformed: JavaScript's reader says so.
        (if (i32.lt_s (local.get $recordEnd) (i32.const 0)) (then (local.set $reason (i32.const 1)) (br $stop)))
        (local.set $at (i32.load (i32.add (global.get $results) (i32.const 28))))
        (local.set $recordEnd (i32.add (local.get $at) (local.get $recordEnd)))
        (if (i32.gt_u (local.get $recordEnd) (local.get $inEnd)) (then (local.set $reason (i32.const 1)) (local.set $at (local.get $recordStart)) (br $stop)))
        ;; attributes (1 byte), then the timestamp delta (a varlong: skipped, lines of values need no time)
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (loop $timestamp
          (local.set $at (i32.add (local.get $at) (i32.const 1)))
          (br_if $timestamp (i32.and (i32.load8_u (i32.sub (local.get $at) (i32.const 1))) (i32.const 0x80))))
        (local.set $delta (call $varint (local.get $at)))
        (local.set $at (i32.load (i32.add (global.get $results) (i32.const 28))))
        (block $next
          (br_if $next (i32.lt_s (local.get $delta) (local.get $from)))
          (if (i32.gt_s (local.get $delta) (local.get $through)) (then (local.set $reason (i32.const 3)) (local.set $at (local.get $recordStart)) (br $stop)))
          (local.set $keyLength (call $varint (local.get $at)))
          (local.set $at (i32.load (i32.add (global.get $results) (i32.const 28))))
          (if (i32.gt_s (local.get $keyLength) (i32.const 0)) (then (local.set $at (i32.add (local.get $at) (local.get $keyLength)))))
          (local.set $valueLength (call $varint (local.get $at)))
          (local.set $value (i32.load (i32.add (global.get $results) (i32.const 28))))
          (if (i32.eqz (i32.and (i32.gt_s (local.get $valueLength) (i32.const 0))
                (i32.le_u (i32.add (local.get $value) (local.get $valueLength)) (local.get $recordEnd))))
            (then (local.set $reason (i32.const 1)) (local.set $at (local.get $recordStart)) (br $stop)))
          (if (i32.eqz (call $plain (local.get $value) (i32.add (local.get $value) (local.get $valueLength))))
            (then (local.set $reason (i32.const 1)) (local.set $at (local.get $recordStart)) (br $stop)))
          (memory.copy (local.get $out) (local.get $value) (local.get $valueLength))
          (local.set $out (i32.add (local.get $out) (local.get $valueLength)))
          (i32.store8 (local.get $out) (i32.const 0x0a))
          (local.set $out (i32.add (local.get $out) (i32.const 1)))
          (local.set $copied (i32.add (local.get $copied) (i32.const 1)))
          (if (i32.lt_s (local.get $first) (i32.const 0)) (then (local.set $first (local.get $delta))))
          (local.set $last (local.get $delta)))
        (local.set $at (local.get $recordEnd))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (if (i32.ge_u (i32.sub (local.get $out) (local.get $outStart)) (local.get $outLimit))
          (then (local.set $reason (i32.const 2)) (br $stop)))
        (br $record)))
    (i32.store (global.get $results) (local.get $reason))
    (i32.store (i32.add (global.get $results) (i32.const 4)) (local.get $at))
    (i32.store (i32.add (global.get $results) (i32.const 8)) (local.get $index))
    (i32.store (i32.add (global.get $results) (i32.const 12)) (local.get $out))
    (i32.store (i32.add (global.get $results) (i32.const 16)) (local.get $copied))
    (i32.store (i32.add (global.get $results) (i32.const 20)) (local.get $first))
    (i32.store (i32.add (global.get $results) (i32.const 24)) (local.get $last))))
