import Foundation
import Hummingbird
import NIOCore
import NumeralSession
import NumeralValues

/// `/api/v1/...`, `/healthz` and `/metrics`: each route checks its role, reads and bounds its
/// input, and hands the work to the service layer.
struct APIRoutes {
    let predictions: PredictionService
    let logs: LogService
    let improvement: ImprovementRunner
    let metrics: ServerMetrics
    let web: WebResources
    let maxBodyBytes: Int

    func register(on router: Router<ServerRequestContext>) {
        router.get("/healthz") { _, _ in
            try json(["status": "ok", "model": predictions.modelID])
        }
        router.get("/metrics") { _, _ in
            metrics.serving(model: predictions.modelID)
            let log = predictions.logWrites
            metrics.logged(writes: log.writes, commits: log.commits)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.text())))
        }
        let api = router.group("api/v1")
        api.get("openapi.yaml") { _, _ in
            try web.response(for: "openapi.yaml")
        }
        api.post("predictions") { request, context in
            let body = try await readBody(request)
            let input = try PredictionInput.parse(body: body, contentType: request.headers[.contentType], limits: predictions.limits)
            let replacing = request.uri.queryParameters["replace"].map(String.init)
            let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value
            var classes = CharacterClasses.digits
            if let given = request.uri.queryParameters["classes"] {
                guard let set = CharacterClasses(rawValue: String(given)) else {
                    throw APIError(.badRequest, "classes is one of \(CharacterClasses.choices).")
                }
                classes = set
            }
            let result = try await predictions.predict(input, caller: context.caller, replacing: replacing, idempotencyKey: key,
                                                       classes: classes)
            if result.replayed != true { metrics.predicted(inputType: result.inputType, latencyMs: result.latencyMs) }
            var response = try json(result, status: result.replayed == true ? .ok : .created)
            response.headers[.location] = "/api/v1/predictions/\(result.id)"
            return response
        }
        api.post("predictions/:id/feedback") { request, context in
            let id = try context.parameters.require("id")
            let body = try await readBody(request)
            struct Feedback: Decodable { var actual: String }
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") ?? false else {
                throw APIError(.unsupportedMediaType, "Send the feedback as application/json: {\"actual\": \"7\"}.")
            }
            guard let feedback = try? JSONDecoder().decode(Feedback.self, from: Data(body)) else {
                throw APIError(.badRequest, "The body must be {\"actual\": \"7\"}: the digit(s) that were drawn, as a string.")
            }
            try await predictions.feedback(id: id, actual: feedback.actual, caller: context.caller)
            return Response(status: .noContent)
        }
        api.get("stats") { request, context in
            try Access.require(.viewer, context)
            let query = try StatsQuery(parameters: try parameters(request))
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try await logs.statsJSON(query))))
        }
        api.get("events") { request, context in
            try Access.require(.viewer, context)
            let query = try StatsQuery(parameters: try parameters(request))
            return try eventStream(query)
        }
        api.get("log.csv") { request, context in
            try Access.require(.admin, context)
            let query = try StatsQuery(parameters: try parameters(request))
            let pages = try await logs.csvPages(query)
            // Streamed a page at a time (memory flat however long the log): the request deadline
            // covers opening the log; the rows follow as the client reads them.
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                                   .contentDisposition: "attachment; filename=\"numeral-log.csv\""],
                            body: ResponseBody { writer in
                                try await pages { text in try await writer.write(ByteBuffer(string: text)) }
                                try await writer.finish(nil)
                            })
        }
        api.get("models") { _, context in
            try Access.require(.viewer, context)
            return try json(try await logs.models())
        }
        api.post("models/:id/activate") { request, context in
            try Access.require(.admin, context)
            let id = try context.parameters.require("id")
            let force = request.uri.queryParameters["force"].map { ["true", "1", "yes"].contains(String($0).lowercased()) } ?? false
            let model = try await logs.activate(id: id, force: force)
            metrics.serving(model: predictions.modelID)
            return try json(model)
        }
        api.post("improve") { _, context in
            try Access.require(.admin, context)
            return try json(try improvement.start(), status: .accepted)
        }
        api.get("improve") { _, context in
            try Access.require(.viewer, context)
            return try json(improvement.status)
        }
        api.get("whoami") { _, context in
            try json(["client": context.caller.client, "role": context.caller.role?.rawValue ?? "anonymous"])
        }
    }

    /// The body, refused with 413 past the limit (by its declared length first, so a large
    /// upload is refused before it is read).
    private func readBody(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw APIError(.contentTooLarge, "The body is \(length) bytes; at most \(maxBodyBytes) are accepted.")
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "The body is larger than \(maxBodyBytes) bytes, the most accepted.")
        }
    }

    /// The query's parameters, percent-decoded once (by Hummingbird: decoding again would turn a
    /// device literally named "a%41" into "aA"); a control character (a NUL, an escape) in any of
    /// them is refused rather than cut short or passed on.
    private func parameters(_ request: Request) throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key), text = String(value)
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw APIError(.badRequest, "The query parameter \"\(name.prefix(40))\" holds a control character; send plain text.")
            }
            result[name] = text
        }
        return result
    }

    /// Server-sent events: the stats JSON now and again whenever the log changes, until the
    /// client goes away (at most an hour per connection). Streams showing the same query share
    /// one computation per change; at most `LogService.maximumStreams` are open at once.
    private func eventStream(_ query: StatsQuery) throws -> Response {
        let logs = self.logs
        guard logs.streams.enter() else {
            throw APIError(.serviceUnavailable, "\(logs.streams.maximum) live dashboards are open on this server, the most it serves; "
                           + "close one or try again later.", headers: [.retryAfter: "30"])
        }
        let body = ResponseBody { writer in
            defer { logs.streams.leave() }
            var last: Int64 = -1
            let deadline = Date().addingTimeInterval(3600)
            while !Task.isCancelled, Date() < deadline {
                let token = await logs.changeToken()
                if token != last {
                    last = token
                    let data = try await logs.sharedStatsJSON(query, token: token)
                    try await writer.write(ByteBuffer(string: "event: stats\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                } else {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
                try await Task.sleep(nanoseconds: 1_000_000_000)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}

/// A JSON answer; dates in ISO 8601.
func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
}
