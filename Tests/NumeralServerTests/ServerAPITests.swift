import Foundation
import Hummingbird
import HummingbirdTesting
import NumeralServer
import NumeralStore
import NumeralVision
import XCTest

/// Every route over a real socket: answers, roles, limits and what lands in the log.
final class ServerAPITests: XCTestCase {
    func testDrawingPredictionIsAnsweredAndLoggedAsAPIWithItsClient() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let response = try await client.predict(Samples.one)
            XCTAssertEqual(response.status, .created, response.text)
            let json = response.json
            XCTAssertEqual(json["number"] as? String, "1")
            XCTAssertEqual(json["input_type"] as? String, "api")
            let digits = try XCTUnwrap(json["digits"] as? [[String: Any]])
            XCTAssertEqual(digits.count, 1)
            XCTAssertEqual((digits[0]["top3"] as? [Any])?.count, 3)
            XCTAssertEqual((digits[0]["probabilities"] as? [Double])?.count, 10)
            XCTAssertEqual((digits[0]["input"] as? [Int])?.count, 784)
            XCTAssertNotNil(digits[0]["box"] as? [String: Any])
            XCTAssertGreaterThan(json["latency_ms"] as? Double ?? -1, 0)
            XCTAssertEqual(json["model"] as? String, harness.server.predictions.modelID)
            let id = try XCTUnwrap(json["id"] as? String)

            let store = try PredictionStore(directory: harness.directory, access: .readOnly)
            let records = try store.all()
            XCTAssertEqual(records.count, 1)
            XCTAssertEqual(records[0].uid, id)
            XCTAssertEqual(records[0].inputType, .api)
            XCTAssertEqual(records[0].client, "ip:127.0.0.1")
            XCTAssertEqual(records[0].device, "test-device")
            XCTAssertEqual(records[0].predicted, "1")
            XCTAssertNotNil(records[0].drawing)
        }
    }

    func testPNGAndJPEGPredictionsAndADamagedJPEGIsRefusedClearly() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let png = try await client.call(.post, "/api/v1/predictions", contentType: "image/png", body: try Samples.onePNG())
            XCTAssertEqual(png.status, .created, png.text)
            XCTAssertEqual(png.json["number"] as? String, "1")
            let jpeg = try await client.call(.post, "/api/v1/predictions", contentType: "image/jpeg",
                                             body: [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 100))
            XCTAssertEqual(jpeg.status.code, 400, jpeg.text)
            XCTAssertFalse(jpeg.errorMessage.isEmpty)
            // Under 64 px a side a JPEG takes the picture path (larger ones are photos, read by the
            // photo reader like the app's uploads: PictureBoxTests).
            var gray = [UInt8](repeating: 255, count: 48 * 48)
            for y in 6..<42 { for x in 21..<26 { gray[y * 48 + x] = 0 } }
            let good = try await client.call(.post, "/api/v1/predictions", contentType: "image/jpeg",
                                             body: try JPEGCodec.encodeGray(width: 48, height: 48, gray: gray, quality: 92))
            XCTAssertEqual(good.status, .created, good.text)
            XCTAssertEqual(good.json["number"] as? String, "1")
            let records = try PredictionStore(directory: harness.directory, access: .readOnly).all()
            XCTAssertEqual(records.count, 2, "the PNG and the good JPEG are logged, the damaged one is not")
        }
    }

    func testMalformedInputIs400WithAMessageAndNothingLogged() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let cases: [(String, [UInt8])] = [
                ("application/json", Array("{\"strokes\": [[[1, 2], [3]]".utf8)),
                ("application/json", Array("{\"strokes\": \"seven\"}".utf8)),
                ("application/json", Array("{\"strokes\": []}".utf8)),
                ("application/json", Array("[1, 2, 3]".utf8)),
                ("image/png", Array("not a png at all".utf8)),
                ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3]),
                ("image/png", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]),
            ]
            for (type, body) in cases {
                let r = try await client.call(.post, "/api/v1/predictions", contentType: type, body: body)
                XCTAssertEqual(r.status, .badRequest, "\(type) \(body.prefix(20)): \(r.text)")
                XCTAssertFalse(r.errorMessage.isEmpty)
                XCTAssertFalse(r.text.contains("tmp") || r.text.contains(".swift") || r.text.contains("numeral-serve-"),
                               "no paths in errors: \(r.text)")
            }
            let wrongType = try await client.call(.post, "/api/v1/predictions", contentType: "text/plain", body: Array("7".utf8))
            XCTAssertEqual(wrongType.status, .unsupportedMediaType)
            let path = (harness.directory as NSString).appendingPathComponent(PredictionStore.fileName)
            if FileManager.default.fileExists(atPath: path) {
                XCTAssertEqual(try PredictionStore(directory: harness.directory, access: .readOnly).all().count, 0)
            }
        }
    }

    func testDrawingLimitsAndBodyLimit() async throws {
        let harness = try ServerHarness { $0.maxBodyBytes = 64 * 1024 }
        defer { harness.cleanUp() }
        try await harness.run { client in
            let manyStrokes = "{\"strokes\": [" + (0..<300).map { "[[\($0), 1], [\($0), 5]]" }.joined(separator: ",") + "]}"
            let strokes = try await client.predict(manyStrokes)
            XCTAssertEqual(strokes.status, .badRequest)
            XCTAssertTrue(strokes.errorMessage.contains("strokes"), strokes.errorMessage)
            let manyDigits = "{\"strokes\": [" + (0..<30).map { "[[\($0 * 100), 10], [\($0 * 100), 90]]" }.joined(separator: ",") + "]}"
            let digits = try await client.predict(manyDigits)
            XCTAssertEqual(digits.status, .badRequest, digits.text)
            XCTAssertTrue(digits.errorMessage.contains("digits"), digits.errorMessage)
            let huge = try await client.call(.post, "/api/v1/predictions", contentType: "application/json",
                                             body: [UInt8](repeating: 0x20, count: 100 * 1024))
            XCTAssertEqual(huge.status, .contentTooLarge)
            XCTAssertFalse(huge.errorMessage.isEmpty)
            // The server still answers everyone after all that.
            let fine = try await client.predict(Samples.seven)
            XCTAssertEqual(fine.status, .created)
        }
    }

    func testClassesReadLettersWhereTheServerHasTheirModels() async throws {
        let harness = try ServerHarness()
        let lettersModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/letters-cnn.safetensors").path
        try await harness.run { client in
            let capitalT = #"{"strokes": [[[40, 40], [140, 40], [240, 40]], [[140, 40], [140, 250]]], "width": 280, "height": 280}"#
            let bogus = try await client.call(.post, "/api/v1/predictions?classes=runes", contentType: "application/json",
                                              body: Array(capitalT.utf8))
            XCTAssertEqual(bogus.status, .badRequest)
            XCTAssertTrue(bogus.errorMessage.contains("digits, letters, alphanumeric"), bogus.errorMessage)
            let digits = try await client.predict(Samples.seven)
            XCTAssertEqual(digits.json["text"] as? String, "7")
            XCTAssertEqual(digits.json["classes"] as? String, "digits")
            XCTAssertEqual((digits.json["digits"] as? [[String: Any]])?.first?["digit"] as? Int, 7)
            let letters = try await client.call(.post, "/api/v1/predictions?classes=letters", contentType: "application/json",
                                                body: Array(capitalT.utf8))
            guard FileManager.default.fileExists(atPath: lettersModel) else {
                XCTAssertEqual(letters.status, .badRequest, "no letters model: \(letters.text)")
                return
            }
            XCTAssertEqual(letters.status, .created, letters.text)
            XCTAssertEqual(letters.json["text"] as? String, "T")
            XCTAssertEqual(letters.json["classes"] as? String, "letters")
            let character = try XCTUnwrap((letters.json["digits"] as? [[String: Any]])?.first)
            XCTAssertEqual(character["character"] as? String, "T")
            XCTAssertNil(character["digit"])
            XCTAssertEqual((character["probabilities"] as? [Double])?.count, 52)
            // The correction is a letter, and the log keeps it.
            let id = try XCTUnwrap(letters.json["id"] as? String)
            let feedback = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", contentType: "application/json",
                                                 body: Array(#"{"actual": "t"}"#.utf8))
            XCTAssertEqual(feedback.status, .noContent, feedback.text)
        }
        let records = try PredictionStore(directory: harness.directory, access: .readOnly).all()
        XCTAssertTrue(records.contains { $0.predicted == "T" && $0.actual == "t" }, "\(records.map { ($0.predicted, $0.actual) })")
    }

    func testFeedbackOnlyByTheMakerOrAnAdmin() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let made = try await client.predict(Samples.seven)
            let id = try XCTUnwrap(made.json["id"] as? String)
            let body = Array(#"{"actual": "7"}"#.utf8)
            let byViewer = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", token: harness.viewer,
                                                 contentType: "application/json", body: body)
            XCTAssertEqual(byViewer.status, .forbidden, "another client may not label it")
            let byMaker = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", contentType: "application/json", body: body)
            XCTAssertEqual(byMaker.status, .noContent, byMaker.text)
            let byAdmin = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", token: harness.admin,
                                                contentType: "application/json", body: Array(#"{"actual": "1"}"#.utf8))
            XCTAssertEqual(byAdmin.status, .noContent)
            let bad = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", contentType: "application/json",
                                            body: Array(#"{"actual": "se7en!"}"#.utf8))
            XCTAssertEqual(bad.status, .badRequest)
            let unknown = try await client.call(.post, "/api/v1/predictions/\(UUID().uuidString.lowercased())/feedback",
                                                contentType: "application/json", body: body)
            XCTAssertEqual(unknown.status, .notFound)
            let records = try PredictionStore(directory: harness.directory, access: .readOnly).all()
            XCTAssertEqual(records.map(\.actual), ["1"])
        }
    }

    func testLivePredictionOfOneDrawingKeepsOneRecord() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let made = try await client.predict(Samples.one)
            let id = try XCTUnwrap(made.json["id"] as? String)
            let again = try await client.call(.post, "/api/v1/predictions?replace=\(id)", contentType: "application/json",
                                              body: Array(Samples.seven.utf8))
            XCTAssertEqual(again.status, .created, again.text)
            XCTAssertEqual(again.json["id"] as? String, id)
            let other = try await client.call(.post, "/api/v1/predictions?replace=\(id)", token: harness.viewer,
                                              contentType: "application/json", body: Array(Samples.one.utf8))
            XCTAssertEqual(other.status, .forbidden)
            let records = try PredictionStore(directory: harness.directory, access: .readOnly).all()
            XCTAssertEqual(records.count, 1)
            XCTAssertEqual(records[0].predicted, again.json["number"] as? String)
        }
    }

    func testRolesOnEveryProtectedRoute() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let viewerRoutes: [(HTTPRequest.Method, String)] = [(.get, "/api/v1/stats"), (.get, "/api/v1/models"), (.get, "/api/v1/improve")]
            let adminRoutes: [(HTTPRequest.Method, String)] = [(.get, "/api/v1/log.csv"), (.post, "/api/v1/models/none/activate"),
                                                               (.post, "/api/v1/improve")]
            for (method, uri) in viewerRoutes + adminRoutes {
                let anonymous = try await client.call(method, uri)
                XCTAssertEqual(anonymous.status, .unauthorized, uri)
                XCTAssertFalse(anonymous.errorMessage.isEmpty)
                let wrong = try await client.call(method, uri, token: "nmr_00000000_" + String(repeating: "ab", count: 24))
                XCTAssertEqual(wrong.status, .unauthorized, uri)
                let garbage = try await client.call(method, uri, headers: [.authorization: "Basic Zm9vOmJhcg=="])
                XCTAssertEqual(garbage.status, .unauthorized, uri)
            }
            for (method, uri) in viewerRoutes {
                let r = try await client.call(method, uri, token: harness.viewer)
                XCTAssertEqual(r.status, .ok, "\(uri): \(r.text)")
            }
            for (method, uri) in adminRoutes {
                let r = try await client.call(method, uri, token: harness.viewer)
                XCTAssertEqual(r.status, .forbidden, uri)
            }
            let csv = try await client.call(.get, "/api/v1/log.csv", token: harness.admin)
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.text.hasPrefix("timestamp,input_type,digit_predicted"), csv.text)
            // A revoked token stops working at once.
            let id = try XCTUnwrap(try harness.server.tokens.list().first { $0.role == .viewer }?.id)
            try harness.server.tokens.revoke(id: id)
            let revoked = try await client.call(.get, "/api/v1/stats", token: harness.viewer)
            XCTAssertEqual(revoked.status, .unauthorized)
        }
    }

    func testStatsMatchTheCommandsReportWithFilters() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            for sample in [Samples.one, Samples.seven, Samples.one] {
                let made = try await client.predict(sample)
            let id = try XCTUnwrap(made.json["id"] as? String)
                _ = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", contentType: "application/json",
                                          body: Array(#"{"actual": "1"}"#.utf8))
            }
            let response = try await client.call(.get, "/api/v1/stats?input_type=api&from=2020-01-01", token: harness.viewer)
            XCTAssertEqual(response.status, .ok)
            let served = try AnalyticsReport.decode(json: Data(response.text.utf8))
            var filter = LogFilter(inputType: .api)
            filter.from = UTCTimestamp.parse("2020-01-01")
            let store = try PredictionStore(directory: harness.directory, access: .readOnly)
            let expected = Analytics.report(try store.read(filter: filter, includePayload: false).records, filter: filter)
            XCTAssertEqual(served, expected)
            XCTAssertEqual(served.summary.total, 3)
            XCTAssertEqual(served.accuracy.labelled, 3)
            let bad = try await client.call(.get, "/api/v1/stats?input_type=fax", token: harness.viewer)
            XCTAssertEqual(bad.status, .badRequest)
        }
    }

    func testModelsActivateAndImproveRunsInTheBackground() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let list = try await client.call(.get, "/api/v1/models", token: harness.viewer)
            XCTAssertEqual(list.status, .ok, list.text)
            let models = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [[String: Any]])
            XCTAssertFalse(list.text.contains(harness.directory) || list.text.contains("safetensors"), "no paths: \(list.text)")
            let first = try XCTUnwrap(models.first?["id"] as? String)
            let activate = try await client.call(.post, "/api/v1/models/\(first)/activate", token: harness.admin)
            XCTAssertEqual(activate.status, .ok, activate.text)
            XCTAssertEqual(activate.json["active"] as? Bool, true)
            let unknown = try await client.call(.post, "/api/v1/models/no-such-model/activate", token: harness.admin)
            XCTAssertEqual(unknown.status, .notFound, unknown.text)

            // Without MNIST the run is refused at once, saying how to give it (it used to be
            // accepted with 202 and fail afterwards).
            let refused = try await client.call(.post, "/api/v1/improve", token: harness.admin)
            XCTAssertEqual(refused.status, .conflict, refused.text)
            XCTAssertTrue(refused.text.contains("--data"), refused.text)
            XCTAssertFalse(refused.text.contains(harness.directory), "no paths: \(refused.text)")
            let idle = try await client.call(.get, "/api/v1/improve", token: harness.viewer)
            XCTAssertEqual(idle.json["state"] as? String, "idle")
            // With the MNIST files present, the run is accepted and then fails on the empty log.
            try harness.provideMNISTFiles()
            let start = try await client.call(.post, "/api/v1/improve", token: harness.admin)
            XCTAssertEqual(start.status, .accepted, start.text)
            var state = ""
            for _ in 0..<100 {
                state = try await client.call(.get, "/api/v1/improve", token: harness.viewer).json["state"] as? String ?? ""
                if state != "running" { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            // An empty log has no feedback to learn from: the run fails with a reason.
            let status = try await client.call(.get, "/api/v1/improve", token: harness.viewer).json
            XCTAssertEqual(state, "failed")
            XCTAssertTrue((status["message"] as? String ?? "").lowercased().contains("feedback"), "\(status)")
        }
    }

    func testRateLimitIsPerClientAndComesBeforeAuthentication() async throws {
        let harness = try ServerHarness {
            $0.ratePerSecond = 0.5; $0.rateBurst = 3
            $0.trustedProxies = [AddressRange("127.0.0.1")!, AddressRange("::1/128")!]
        }
        defer { harness.cleanUp() }
        // A 429 closes the connection, so each run below ends with its first 429 (each run has a fresh limiter).
        try await harness.run { client in
            var codes: [Int] = []
            for _ in 0..<3 { codes.append(try await client.call(.get, "/api/v1/whoami").status.code) }
            XCTAssertEqual(codes, [200, 200, 200])
            let health = try await client.call(.get, "/healthz")
            XCTAssertEqual(health.status, .ok, "health checks are never limited")
            let limited = try await client.call(.get, "/api/v1/whoami")
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertNotNil(limited.headers[.retryAfter])
            XCTAssertEqual(limited.headers[.connection], "close", "a limited client's connection is closed")
        }
        // Bad tokens are limited like anything else: 429, not an unlimited stream of 401s.
        try await harness.run { client in
            var codes: [Int] = []
            for _ in 0..<4 { codes.append(try await client.call(.get, "/api/v1/whoami", token: "not-a-token").status.code) }
            XCTAssertEqual(codes, [401, 401, 401, 429])
        }
        // Another client (another address, forwarded by the trusted proxy) has its own bucket.
        try await harness.run { client in
            for _ in 0..<3 { _ = try await client.call(.get, "/api/v1/whoami") }
            let other = try await client.call(.get, "/api/v1/whoami", headers: [.init("X-Forwarded-For")!: "203.0.113.7"])
            XCTAssertEqual(other.status, .ok, other.text)
            XCTAssertEqual(other.json["client"] as? String, "ip:203.0.113.7", other.text)
            let limited = try await client.call(.get, "/api/v1/whoami")
            XCTAssertEqual(limited.status, .tooManyRequests)
        }
    }

    func testForwardedForIsBelievedOnlyFromATrustedProxy() async throws {
        let untrusting = try ServerHarness()
        defer { untrusting.cleanUp() }
        try await untrusting.run { client in
            let r = try await client.call(.get, "/api/v1/whoami", headers: [.init("X-Forwarded-For")!: "203.0.113.7"])
            XCTAssertNotEqual(r.json["client"] as? String, "ip:203.0.113.7", "a client cannot name itself")
        }
        let trusting = try ServerHarness { $0.trustedProxies = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!] }
        defer { trusting.cleanUp() }
        try await trusting.run { client in
            // The right-most address that is not a trusted proxy is the client; what it claimed before is ignored.
            let r = try await client.call(.get, "/api/v1/whoami", headers: [.init("X-Forwarded-For")!: "198.51.100.1, 203.0.113.7, 127.0.0.5"])
            XCTAssertEqual(r.json["client"] as? String, "ip:203.0.113.7", r.text)
            let junk = try await client.call(.get, "/api/v1/whoami", headers: [.init("X-Forwarded-For")!: "not-an-address"])
            XCTAssertEqual(junk.status, .ok)
            XCTAssertNotEqual(junk.json["client"] as? String, "ip:not-an-address")
        }
    }

    func testAddressRanges() {
        let ten = AddressRange("10.0.0.0/8")!
        XCTAssertTrue(ten.contains("10.200.3.4"))
        XCTAssertFalse(ten.contains("11.0.0.1"))
        XCTAssertTrue(ten.contains("::ffff:10.1.2.3"), "IPv4-mapped IPv6")
        let six = AddressRange("fd00::/8")!
        XCTAssertTrue(six.contains("fd12:3456::1"))
        XCTAssertFalse(six.contains("fe80::1"))
        XCTAssertTrue(AddressRange("192.168.1.7")!.contains("192.168.1.7"))
        XCTAssertFalse(AddressRange("192.168.1.7")!.contains("192.168.1.8"))
        XCTAssertTrue(AddressRange("0.0.0.0/0")!.contains("8.8.8.8"))
        for bad in ["", "10.0.0.0/33", "fd00::/129", "example.org", "10.0.0.0/x", "1.2.3.4/8/9"] {
            XCTAssertNil(AddressRange(bad), bad)
        }
    }

    func testPagesSpecHealthMetricsAndNotFound() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let page = try await client.call(.get, "/")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("<canvas"))
            XCTAssertFalse(page.text.contains("http://") || page.text.contains("https://"), "nothing from the internet")
            let dashboard = try await client.call(.get, "/dashboard")
            XCTAssertEqual(dashboard.status, .ok)
            for file in ["app.js", "dashboard.js", "style.css"] {
                let r = try await client.call(.get, "/static/\(file)")
                XCTAssertEqual(r.status, .ok, file)
            }
            let traversal = try await client.call(.get, "/static/..%2FPackage.swift")
            XCTAssertEqual(traversal.status, .notFound)
            let spec = try await client.call(.get, "/api/v1/openapi.yaml")
            XCTAssertTrue(spec.text.hasPrefix("openapi: 3"))
            let healthz = try await client.call(.get, "/healthz")
            XCTAssertEqual(healthz.json["status"] as? String, "ok")
            _ = try await client.predict(Samples.one)
            let metrics = try await client.call(.get, "/metrics")
            XCTAssertEqual(metrics.status, .ok)
            XCTAssertTrue(metrics.text.contains("numeral_predictions_total{input_type=\"api\"} 1"), metrics.text)
            XCTAssertTrue(metrics.text.contains("numeral_log_writes_total 1"), metrics.text)
            XCTAssertTrue(metrics.text.contains("numeral_log_commits_total 1"), metrics.text)
            XCTAssertTrue(metrics.text.contains("numeral_http_request_duration_seconds_bucket"), metrics.text)
            XCTAssertTrue(metrics.text.contains("numeral_model_info{model=\"\(harness.server.predictions.modelID)\"} 1"))
            let missing = try await client.call(.get, "/api/v1/nothing")
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertFalse(missing.errorMessage.isEmpty)
            XCTAssertNil(page.headers[.accessControlAllowOrigin], "CORS is off by default")
        }
    }

    /// A recognition that started is answered with its result and logged, even past the
    /// deadline: never answered 503 after it was logged (the pool's tests cover refusing work
    /// that had not started).
    func testARecognitionPastTheDeadlineIsAnsweredAndLoggedNot503() async throws {
        let harness = try ServerHarness { $0.requestTimeout = 0.001 }
        defer { harness.cleanUp() }
        try await harness.run { client in
            // 19,000 points: splitting them takes far longer than a millisecond.
            let points = (0..<19_000).map { "[\($0 % 280), \($0 / 100)]" }.joined(separator: ",")
            let slow = try await client.predict("{\"strokes\": [[\(points)]]}")
            XCTAssertEqual(slow.status, .created, slow.text)
            let metrics = try await client.call(.get, "/metrics")
            XCTAssertTrue(metrics.text.contains("numeral_log_writes_total 1"), metrics.text)
            let health = try await client.call(.get, "/healthz")
            XCTAssertEqual(health.status, .ok)
        }
    }

    func testALargeDrawingIsStoredThinnedAndStillReadsTheSame() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        // A "7" drawn with 12,000 points: a bar and a slanted stem, densely sampled.
        var points: [String] = []
        for i in 0..<6_000 { points.append("[\(60 + Double(i) * 160 / 6_000), 50]") }
        for i in 0..<6_000 { points.append("[\(220 - Double(i) * 110 / 6_000), \(50 + Double(i) * 200 / 6_000)]") }
        let body = "{\"strokes\": [[\(points.joined(separator: ","))]], \"width\": 280, \"height\": 280}"
        try await harness.run { client in
            let response = try await client.predict(body)
            XCTAssertEqual(response.status, .created, response.text)
            let store = try PredictionStore(directory: harness.directory, access: .readOnly)
            let record = try XCTUnwrap(try store.all().first)
            let stored = try XCTUnwrap(record.drawing)
            let count = stored.strokes.reduce(0) { $0 + $1.points.count }
            XCTAssertLessThanOrEqual(count, 1_000, "stored thinned")
            XCTAssertGreaterThanOrEqual(count, 3)
            XCTAssertEqual(record.predicted, response.json["number"] as? String)
        }
    }

    func testAnIdempotencyKeyMakesARetryReplayTheAnswerInsteadOfLoggingTwice() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let key: HTTPFields = [.init("Idempotency-Key")!: "retry-1"]
            let first = try await client.call(.post, "/api/v1/predictions", contentType: "application/json",
                                              body: Array(Samples.one.utf8), headers: key)
            XCTAssertEqual(first.status, .created, first.text)
            let again = try await client.call(.post, "/api/v1/predictions", contentType: "application/json",
                                              body: Array(Samples.one.utf8), headers: key)
            XCTAssertEqual(again.status, .ok, again.text)
            XCTAssertEqual(again.json["id"] as? String, first.json["id"] as? String)
            XCTAssertEqual(again.json["replayed"] as? Bool, true)
            XCTAssertNil(first.json["replayed"])
            // The same key for another input is a mistake, said so.
            let other = try await client.call(.post, "/api/v1/predictions", contentType: "application/json",
                                              body: Array(Samples.seven.utf8), headers: key)
            XCTAssertEqual(other.status, .conflict, other.text)
            let bad = try await client.call(.post, "/api/v1/predictions", contentType: "application/json",
                                            body: Array(Samples.one.utf8), headers: [.init("Idempotency-Key")!: "has space"])
            XCTAssertEqual(bad.status, .badRequest)
            let metrics = try await client.call(.get, "/metrics")
            XCTAssertTrue(metrics.text.contains("numeral_log_writes_total 1"), metrics.text)
            // Ids are case-insensitive: feedback on the uppercase spelling labels the same prediction.
            let id = try XCTUnwrap(first.json["id"] as? String)
            let feedback = try await client.call(.post, "/api/v1/predictions/\(id.uppercased())/feedback", contentType: "application/json",
                                                 body: Array(#"{"actual": "1"}"#.utf8))
            XCTAssertEqual(feedback.status, .noContent, feedback.text)
        }
    }

    func testAPNGPastThePixelCapIsRefusedBeforeDecodingAndALargeJPEGIsRead() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        // A PNG header claiming 8000x6000: refused from the header alone, naming the cap.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + [0, 0, 0x1F, 0x40, 0, 0, 0x17, 0x70, 8, 6, 0, 0, 0, 0, 0, 0, 0]
        // A 3200x2400 JPEG of a bar: decoded at a quarter of its pixels and read.
        let width = 3200, height = 2400
        var gray = [UInt8](repeating: 235, count: width * height)
        for y in 600..<1800 { for x in 1540..<1660 { gray[y * width + x] = 25 } }
        let jpeg = try JPEGCodec.encodeGray(width: width, height: height, gray: gray, quality: 85)
        try await harness.run { client in
            let big = try await client.call(.post, "/api/v1/predictions", contentType: "image/png", body: png)
            XCTAssertEqual(big.status, .badRequest, big.text)
            XCTAssertTrue(big.errorMessage.contains("megapixels"), big.errorMessage)
            let photo = try await client.call(.post, "/api/v1/predictions", contentType: "image/jpeg", body: jpeg)
            XCTAssertEqual(photo.status, .created, photo.text)
            XCTAssertEqual(photo.json["number"] as? String, "1", photo.text)
        }
    }

    func testCORSOnlyForTheConfiguredOrigin() async throws {
        let harness = try ServerHarness { $0.corsOrigin = "https://example.org" }
        defer { harness.cleanUp() }
        try await harness.run { client in
            let r = try await client.call(.get, "/healthz", headers: [.origin: "https://example.org"])
            XCTAssertEqual(r.headers[.accessControlAllowOrigin], "https://example.org")
        }
    }
}
