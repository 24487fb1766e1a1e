import Foundation
import XCTest
@testable import NumeralStore

final class UTCTimestampTests: XCTestCase {
    func testFormatsFixedWidthUTCWithMilliseconds() {
        XCTAssertEqual(UTCTimestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(UTCTimestamp.format(Date(timeIntervalSince1970: -0.001)), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(UTCTimestamp.format(Date(timeIntervalSince1970: 1_709_164_800.5)), "2024-02-29T00:00:00.500Z")
        XCTAssertEqual(UTCTimestamp.format(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00.000Z")
        XCTAssertNil(UTCTimestamp.format(Date(timeIntervalSince1970: 1e13)), "year > 9999 would not sort as text")
        XCTAssertNil(UTCTimestamp.format(Date(timeIntervalSince1970: .nan)))
    }

    func testParsesSeedAndISOForms() {
        let expected = Date(timeIntervalSince1970: 1_704_462_310)  // 2024-01-05 13:45:10 UTC
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05 13:45:10"), expected)
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05T13:45:10Z"), expected)
        XCTAssertEqual(UTCTimestamp.parse(" 2024-01-05T13:45:10.000Z "), expected)
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05T15:45:10+02:00"), expected)
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05T05:45:10-0800"), expected)
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05T19:15:10+05:30"), expected)
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05 13:45:10.123456"), Date(timeIntervalSince1970: 1_704_462_310.123))
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05 13:45"), expected.addingTimeInterval(-10))
        XCTAssertEqual(UTCTimestamp.parse("2024-01-05"), Date(timeIntervalSince1970: 1_704_412_800))
    }

    func testRejectsImpossibleOrTrailingText() {
        for text in ["", "2024-02-30", "2023-02-29", "2024-13-01", "24-01-05", "2024-01-05T24:00:00",
                     "2024-01-05T13:60", "2024-01-05T13:45:10 extra", "2024-01-05T13:45:10.", "yesterday",
                     "2024-01-05T13:45:10+25:00"] {
            XCTAssertNil(UTCTimestamp.parse(text), text)
        }
    }

    func testRoundTripIsExactAtMilliseconds() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            // Anywhere from year 0001 to 9998, at whole milliseconds.
            let ms = Int64(generator.next() % 315_000_000_000_000) - 62_100_000_000_000
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            guard let text = UTCTimestamp.format(date) else { return XCTFail("\(ms) did not format") }
            XCTAssertEqual(UTCTimestamp.parse(text), date, text)
            XCTAssertEqual(UTCTimestamp.milliseconds(date), ms)
        }
    }

    func testTextOrderIsChronological() {
        let dates = [-86_400_000.5, -1, 0, 0.001, 1_700_000_000, 1_700_000_000.001, 4_000_000_000].map(Date.init(timeIntervalSince1970:))
        let texts = dates.compactMap(UTCTimestamp.format)
        XCTAssertEqual(texts, texts.sorted())
    }
}

/// Deterministic random numbers so failures reproduce.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
