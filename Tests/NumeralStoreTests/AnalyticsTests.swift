import Foundation
import XCTest
@testable import NumeralStore

/// Numbers computed by hand (and checked against numpy for the percentiles).
final class AnalyticsTests: XCTestCase {
    /// 8 records, 7 with feedback, 2 of them correct; two multi-digit numbers.
    private let records: [PredictionRecord] = [
        simpleRecord(date("2024-01-01T09:00:00Z"), .canvas, predicted: "3", actual: "3", confidence: 0.9, latency: 1),
        simpleRecord(date("2024-01-01T10:30:00Z"), .upload, predicted: "5", actual: "3", confidence: 0.4, latency: 2),
        simpleRecord(date("2024-01-01T23:59:59.999Z"), .canvas, predicted: "8", actual: "3", confidence: 0.6, latency: 3),
        simpleRecord(date("2024-01-02T00:00:00Z"), .camera, predicted: "5", actual: "3", confidence: 0.3, latency: 4),
        simpleRecord(date("2024-01-04T12:00:00Z"), .canvas, predicted: "7", actual: "1", confidence: 0.8),
        simpleRecord(date("2024-01-04T13:00:00Z"), .api, predicted: "42", actual: "42", confidence: 0.95, latency: 10),
        simpleRecord(date("2024-01-04T14:00:00Z"), .canvas, predicted: "1", confidence: 0.2, latency: 5),
        simpleRecord(date("2024-01-04T15:00:00Z"), .canvas, predicted: "12", actual: "17", confidence: 0.5),
    ]

    func testAccuracyComparesWholeStringsOverLabelledRecords() {
        let accuracy = Analytics.accuracy(records)
        XCTAssertEqual(accuracy, AccuracySummary(labelled: 7, correct: 2))
        XCTAssertEqual(try XCTUnwrap(accuracy.accuracy), 2.0 / 7.0, accuracy: 1e-12)
        XCTAssertNil(Analytics.accuracy([]).accuracy, "no feedback is not 0% accuracy")
    }

    func testConfusionMatrixCountsSingleDigitRecordsOnly() {
        var expected = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        expected[3][3] = 1
        expected[3][5] = 2
        expected[3][8] = 1
        expected[1][7] = 1
        XCTAssertEqual(Analytics.confusionMatrix(records), expected)
    }

    func testMostConfusedPairsSortedByCountThenDigits() {
        XCTAssertEqual(Analytics.mostConfusedPairs(records), [
            ConfusedPair(actual: 3, predicted: 5, count: 2),
            ConfusedPair(actual: 1, predicted: 7, count: 1),
            ConfusedPair(actual: 3, predicted: 8, count: 1),
        ])
        XCTAssertEqual(Analytics.mostConfusedPairs(records, limit: 1).count, 1)
    }

    func testAccuracyPerDayIncludesEmptyDays() {
        let timeline = Analytics.accuracyOverTime(records)
        XCTAssertEqual(timeline.granularity, .day)
        XCTAssertEqual(timeline.buckets, [
            AccuracyBucket(start: date("2024-01-01T00:00:00Z"), labelled: 3, correct: 1),
            AccuracyBucket(start: date("2024-01-02T00:00:00Z"), labelled: 1, correct: 0),
            AccuracyBucket(start: date("2024-01-03T00:00:00Z"), labelled: 0, correct: 0),
            AccuracyBucket(start: date("2024-01-04T00:00:00Z"), labelled: 3, correct: 1),
        ])
        XCTAssertNil(timeline.buckets[2].accuracy)
    }

    func testAccuracyPerHourWhenSpanIsUnderTwoDays() {
        let shortSpan = [
            simpleRecord(date("2024-01-01T09:15:00Z"), predicted: "1", actual: "1"),
            simpleRecord(date("2024-01-01T09:45:00Z"), predicted: "2", actual: "3"),
            simpleRecord(date("2024-01-01T10:10:00Z"), predicted: "2"),  // no feedback: not counted
            simpleRecord(date("2024-01-01T11:05:00Z"), predicted: "4", actual: "4"),
        ]
        let timeline = Analytics.accuracyOverTime(shortSpan)
        XCTAssertEqual(timeline.granularity, .hour)
        XCTAssertEqual(timeline.buckets, [
            AccuracyBucket(start: date("2024-01-01T09:00:00Z"), labelled: 2, correct: 1),
            AccuracyBucket(start: date("2024-01-01T10:00:00Z"), labelled: 0, correct: 0),
            AccuracyBucket(start: date("2024-01-01T11:00:00Z"), labelled: 1, correct: 1),
        ])
        XCTAssertEqual(Analytics.accuracyOverTime([]).buckets, [])
    }

    func testAStrayTimestampDoesNotCreateMillionsOfEmptyBuckets() {
        let stray = [
            simpleRecord(date("1970-01-01T00:00:00Z"), predicted: "1", actual: "1"),
            simpleRecord(date("2024-01-01T00:00:00Z"), predicted: "1", actual: "2"),
        ]
        XCTAssertEqual(Analytics.accuracyOverTime(stray).buckets.map(\.labelled), [1, 1])
    }

    func testDayBucketsFollowTheGivenTimeZone() throws {
        let plusOne = try XCTUnwrap(TimeZone(secondsFromGMT: 3600))
        let late = [
            simpleRecord(date("2024-01-01T23:30:00Z"), predicted: "1", actual: "1"),  // Jan 2 00:30 local
            simpleRecord(date("2024-01-04T00:00:00Z"), predicted: "1", actual: "2"),
        ]
        let buckets = Analytics.accuracyOverTime(late, timeZone: plusOne).buckets
        XCTAssertEqual(buckets.first, AccuracyBucket(start: date("2024-01-01T23:00:00Z"), labelled: 1, correct: 1))
        XCTAssertEqual(buckets.count, 3)
    }

    func testSummary() {
        let summary = Analytics.summary(records)
        XCTAssertEqual(summary.total, 8)
        XCTAssertEqual(summary.labelled, 7)
        XCTAssertEqual(summary.countsByInputType, ["canvas": 5, "upload": 1, "camera": 1, "api": 1])
        XCTAssertEqual(summary.predictedDigitCounts, [0, 1, 0, 1, 0, 2, 0, 1, 1, 0])
        XCTAssertEqual(summary.multiDigitCount, 2)
        XCTAssertEqual(try XCTUnwrap(summary.meanConfidence), 4.65 / 8, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(summary.medianConfidence), 0.55, accuracy: 1e-12)
        XCTAssertEqual(summary.lowConfidenceCount, 3, "0.4, 0.3, 0.2; 0.5 itself is not below 0.5")
        XCTAssertEqual(try XCTUnwrap(summary.lowConfidenceShare), 0.375, accuracy: 1e-12)
        XCTAssertEqual(Analytics.summary(records, lowConfidenceThreshold: 0.9).lowConfidenceCount, 6)
        // numpy.percentile([1, 2, 3, 4, 5, 10], [50, 95]) == [3.5, 8.75]
        XCTAssertEqual(summary.latencyCount, 6)
        XCTAssertEqual(try XCTUnwrap(summary.latencyP50Ms), 3.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(summary.latencyP95Ms), 8.75, accuracy: 1e-12)
    }

    func testEmptyLogHasNoNaNs() throws {
        let report = Analytics.report([])
        XCTAssertNil(report.summary.meanConfidence)
        XCTAssertNil(report.summary.latencyP95Ms)
        XCTAssertNil(report.summary.lowConfidenceShare)
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"accuracy\":null"), json)
        XCTAssertTrue(report.text().contains("no feedback yet"))
    }

    func testPercentileInterpolatesLikeNumpy() {
        XCTAssertEqual(Analytics.percentile(sorted: [5], 95), 5)
        XCTAssertEqual(Analytics.percentile(sorted: [1, 2], 50), 1.5)
        XCTAssertEqual(Analytics.percentile(sorted: [1, 2, 3, 4], 0), 1)
        XCTAssertEqual(Analytics.percentile(sorted: [1, 2, 3, 4], 100), 4)
        XCTAssertNil(Analytics.percentile(sorted: [], 50))
    }

    func testReportAppliesTheFilterAndRoundTripsThroughJSON() throws {
        let filter = LogFilter(from: date("2024-01-01T00:00:00Z"), to: date("2024-01-04T00:00:00Z"), inputType: .canvas)
        let report = Analytics.report(records, filter: filter)
        XCTAssertEqual(report.accuracy, AccuracySummary(labelled: 2, correct: 1), "records 1 and 3")
        XCTAssertEqual(report.summary.total, 2)
        let decoded = try AnalyticsReport.decode(json: try report.jsonData())
        XCTAssertEqual(decoded, report)
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"from\":\"2024-01-01T00:00:00.000Z\""), json)
    }

    func testTextReportShowsTheNumbers() {
        let text = Analytics.report(records).text()
        XCTAssertTrue(text.contains("8 predictions, 7 with feedback"), text)
        XCTAssertTrue(text.contains("Accuracy:    28.6% (2 of 7 with feedback)"), text)
        XCTAssertTrue(text.contains("p50 3.500 ms, p95 8.750 ms"), text)
        XCTAssertTrue(text.contains("    3   .  .  .  1  .  2  .  .  1  ."), text)
        XCTAssertTrue(text.contains("Most confused: 3 read as 5 x2, 1 read as 7 x1, 3 read as 8 x1"), text)
        XCTAssertTrue(text.contains("  2024-01-03       0/0       -"), text)
        XCTAssertTrue(text.contains("  2024-01-01       1/3   33.3% #######............."), text)
    }
}
