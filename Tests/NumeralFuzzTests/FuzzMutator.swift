import Foundation

/// SplitMix64: tiny, fast and the same on every machine, so a fuzz case is reproducible from its
/// seed, target name and index alone.
struct FuzzRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stable hash of a name (FNV-1a), to give every target its own stream of cases.
    static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}

/// Seeded mutations of valid files: bit flips, byte changes, inserts, deletes, duplicated and
/// spliced chunks, integer boundary values written over binary headers and over numbers in text,
/// and truncation. Several mutations are stacked per case.
struct FuzzMutator {
    /// Outputs are kept below this size so one case stays cheap.
    var maxSize = 1 << 20

    static let boundaryIntegers: [UInt64] = [
        0, 1, 2, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF,
        0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 1 << 31 - 1, 1 << 62, 2_700_000, 568_088, 784, 10_000,
    ]

    static let boundaryNumberTexts = [
        "0", "-0", "1", "-1", "10", "11", "9", "3", "12", "2147483647", "2147483648", "-2147483649", "4294967296",
        "4611686018427387904", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "18446744073709551616", "99999999999999999999999", "1e308", "-1e308", "1e309", "1e-320", "0.5", "-0.5",
        "1.5", "3e38", "-3e38", "NaN", "null", "true", "\"x\"", "[]", "{}", "[[1024,1024,1024,1024,1024,1024,1024,1024]]",
        "1024", "65536", "50001", "100000",
    ]

    func mutate(_ input: [UInt8], seeds: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        let rounds = 1 + Int(random.next() % 4)
        for _ in 0..<rounds {
            switch random.next() % 12 {
            case 0: flipBit(&bytes, &random)
            case 1: setByte(&bytes, &random)
            case 2: insertBytes(&bytes, &random)
            case 3: deleteBytes(&bytes, &random)
            case 4: duplicateChunk(&bytes, &random)
            case 5: splice(&bytes, with: seeds[Int(random.next() % UInt64(seeds.count))], &random)
            case 6, 7: writeBoundaryInteger(&bytes, &random)
            case 8, 9: replaceNumberText(&bytes, &random)
            case 10: repeatJSONGroup(&bytes, &random)
            default: truncate(&bytes, &random)
            }
        }
        if bytes.count > maxSize { bytes.removeSubrange(maxSize...) }
        return bytes
    }

    private func position(_ bytes: [UInt8], _ random: inout FuzzRandom, inclusiveEnd: Bool = false) -> Int {
        let count = bytes.count + (inclusiveEnd ? 1 : 0)
        return count == 0 ? 0 : Int(random.next() % UInt64(count))
    }

    private func flipBit(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        bytes[position(bytes, &random)] ^= 1 << UInt8(random.next() % 8)
    }

    private func setByte(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        let interesting: [UInt8] = [0, 0xFF, 0x7F, 0x80, 0x22, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C, 0x2D, 0x0A, 0x0D, 0x30, 0x39]
        bytes[position(bytes, &random)] = random.next() % 2 == 0
            ? interesting[Int(random.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: random.next())
    }

    private func insertBytes(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        let count = 1 + Int(random.next() % 16)
        let fill = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        bytes.insert(contentsOf: fill, at: position(bytes, &random, inclusiveEnd: true))
    }

    private func deleteBytes(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        let start = position(bytes, &random)
        let count = min(bytes.count - start, 1 + Int(random.next() % 64))
        bytes.removeSubrange(start..<start + count)
    }

    /// Repeats a chunk, up to many times: long runs of strokes, rows, tensors, chunks.
    private func duplicateChunk(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        let start = position(bytes, &random)
        let length = min(bytes.count - start, 1 + Int(random.next() % 256))
        let chunk = Array(bytes[start..<start + length])
        let times = random.next() % 4 == 0 ? 1 + Int(random.next() % 2_000) : 1 + Int(random.next() % 4)
        var repeated: [UInt8] = []
        repeated.reserveCapacity(min(chunk.count * times, maxSize))
        for _ in 0..<times where repeated.count < maxSize { repeated += chunk }
        bytes.insert(contentsOf: repeated, at: start)
    }

    private func splice(_ bytes: inout [UInt8], with other: [UInt8], _ random: inout FuzzRandom) {
        guard !other.isEmpty else { return }
        let cut = position(bytes, &random, inclusiveEnd: true)
        let from = Int(random.next() % UInt64(other.count))
        bytes = Array(bytes[..<cut]) + Array(other[from...])
    }

    /// One of the boundary values, 1, 2, 4 or 8 bytes, little or big endian, at a random offset
    /// (biased to the first 64 bytes, where binary headers are).
    private func writeBoundaryInteger(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        var value = Self.boundaryIntegers[Int(random.next() % UInt64(Self.boundaryIntegers.count))]
        if random.next() % 4 == 0 { value = value &- 1 }
        let width = [1, 2, 4, 8][Int(random.next() % 4)]
        let limit = random.next() % 2 == 0 ? min(bytes.count, 64) : bytes.count
        let offset = Int(random.next() % UInt64(limit))
        let bigEndian = random.next() % 2 == 0
        for i in 0..<width where offset + i < bytes.count {
            let shift = bigEndian ? (width - 1 - i) * 8 : i * 8
            bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// Replaces a run of digits (a number in JSON or CSV text) by a boundary number or token.
    private func replaceNumberText(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        var start = position(bytes, &random)
        var scanned = 0
        while scanned < bytes.count, !isDigit(bytes[start]) {
            start = (start + 1) % bytes.count
            scanned += 1
        }
        guard scanned < bytes.count else { return }
        while start > 0, isDigit(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: "-") || bytes[start - 1] == UInt8(ascii: ".") { start -= 1 }
        var end = start
        while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: "-")
            || bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E") || bytes[end] == UInt8(ascii: "+") { end += 1 }
        let replacement = Self.boundaryNumberTexts[Int(random.next() % UInt64(Self.boundaryNumberTexts.count))]
        bytes.replaceSubrange(start..<end, with: Array(replacement.utf8))
    }

    /// Repeats a bracketed JSON group (a point, a stroke, an object) after itself, separated by
    /// commas, up to thousands of times: long drawings that stay valid JSON.
    private func repeatJSONGroup(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        let opens = bytes.indices.filter { bytes[$0] == UInt8(ascii: "[") || bytes[$0] == UInt8(ascii: "{") }
        guard !opens.isEmpty else { return }
        let start = opens[Int(random.next() % UInt64(opens.count))]
        let open = bytes[start], close = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
        var depth = 0, end = start
        while end < bytes.count {
            if bytes[end] == open { depth += 1 } else if bytes[end] == close { depth -= 1; if depth == 0 { break } }
            end += 1
        }
        guard end < bytes.count else { return }
        let group = Array(bytes[start...end])
        let times = random.next() % 2 == 0 ? 1 + Int(random.next() % 50) : 1 + Int(random.next() % 20_000)
        var repeated: [UInt8] = []
        for _ in 0..<times where repeated.count + group.count + 2 < maxSize { repeated += [UInt8(ascii: ","), UInt8(ascii: " ")] + group }
        bytes.insert(contentsOf: repeated, at: end + 1)
    }

    private func truncate(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        bytes.removeSubrange(position(bytes, &random)...)
    }
}
