package io.payauth;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import org.junit.Test;

/** The per-thread native buffer: reuse, nesting, growth and wiping. */
public class ScratchTest {
    @Test
    public void aNestedOpenNeverReusesTheBufferInUse() {
        byte[] outer = "outer-input".getBytes();
        try (Scratch a = Scratch.open(outer.length)) {
            long at = a.put(outer);
            try (Scratch b = Scratch.open(64)) {
                assertNotEquals(a.slot(0), b.slot(0));
                b.put(new byte[64]);
            }
            assertArrayEquals(outer, Scratch.read(at, outer.length));
        }
        try (Scratch again = Scratch.open(8); Scratch first = Scratch.open(8)) {
            assertNotEquals(again.slot(0), first.slot(0));
        }
    }

    @Test
    public void theThreadBufferIsReusedAndWipedAfterUse() {
        long base;
        long at;
        try (Scratch s = Scratch.open(5)) {
            base = s.slot(0);
            at = s.put("hello".getBytes());
        }
        try (Scratch s = Scratch.open(5)) {
            assertEquals("reused", base, s.slot(0));
            assertArrayEquals("wiped on close", new byte[5], Scratch.read(at, 5));
            assertEquals(0L, s.slotValue(0));
        }
    }

    @Test
    public void largeInputsGetABufferOfTheirOwn() {
        long kept;
        try (Scratch s = Scratch.open(10)) {
            kept = s.slot(0);
        }
        byte[] big = new byte[Scratch.KEEP_MAX + 1];
        big[big.length - 1] = 7;
        try (Scratch s = Scratch.open(big.length)) {
            long at = s.put(big);
            assertEquals(7, Scratch.read(at + big.length - 1, 1)[0]);
        }
        try (Scratch s = Scratch.open(10)) {
            assertEquals("the big one was not kept", kept, s.slot(0));
        }
    }
}
