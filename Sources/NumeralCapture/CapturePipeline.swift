import CGStreamer
import Foundation

/// A running GStreamer pipeline that ends in an app sink giving gray frames: GStreamer's C API
/// wrapped here once. The pipeline is built from a description string (no C varargs), started,
/// and pulled with timeouts, so a missing camera or a stalled stream ends in a `CaptureError`,
/// never a hang. One reader at a time; not Sendable.
public final class CapturePipeline {
    private let pipeline: UnsafeMutablePointer<GstElement>
    private let sink: UnsafeMutablePointer<GstAppSink>
    private let bus: UnsafeMutablePointer<GstBus>
    public let sourceName: String
    private var pulled = 0
    private var finished = false

    /// GStreamer initialized once per process (idempotent in GStreamer itself as well).
    private static let initialization: Result<Void, CaptureError> = {
        var error: UnsafeMutablePointer<GError>?
        guard gst_init_check(nil, nil, &error) != 0 else {
            return .failure(.unavailable(reason: CapturePipeline.take(error) ?? "gst_init failed"))
        }
        return .success(())
    }()

    /// Opens a capture source (camera or media).
    public convenience init(source: CaptureSource, startTimeout: Double = 10) throws {
        try self.init(description: source.pipelineDescription, sourceName: source.description,
                      startTimeout: startTimeout)
    }

    /// Builds and starts a pipeline from a description that contains `appsink name=sink` giving GRAY8.
    public init(description: String, sourceName: String, startTimeout: Double = 10) throws {
        try Self.initialization.get()
        self.sourceName = sourceName
        var error: UnsafeMutablePointer<GError>?
        let element = gst_parse_launch(description, &error)
        if let message = Self.take(error) {
            if let element { gst_object_unref(UnsafeMutableRawPointer(element)) }
            throw CaptureError.invalidPipeline(description: description, reason: message)
        }
        guard let element else { throw CaptureError.invalidPipeline(description: description, reason: "no pipeline") }
        let bin = UnsafeMutableRawPointer(element).assumingMemoryBound(to: GstBin.self)
        guard let sinkElement = gst_bin_get_by_name(bin, "sink") else {
            gst_object_unref(UnsafeMutableRawPointer(element))
            throw CaptureError.invalidPipeline(description: description, reason: "it has no element named sink")
        }
        pipeline = element
        sink = numeral_gst_app_sink(sinkElement)
        bus = gst_element_get_bus(element)
        // From here on deinit releases everything.
        let change = gst_element_set_state(pipeline, GST_STATE_PLAYING)
        if change == GST_STATE_CHANGE_FAILURE {
            throw CaptureError.cannotOpen(source: sourceName, reason: pendingError() ?? "it refused to start")
        }
        if change == GST_STATE_CHANGE_ASYNC {
            let result = gst_element_get_state(pipeline, nil, nil, GstClockTime(startTimeout * 1e9))
            if result == GST_STATE_CHANGE_FAILURE {
                throw CaptureError.cannotOpen(source: sourceName, reason: pendingError() ?? "it failed to start")
            }
            if result == GST_STATE_CHANGE_ASYNC {
                throw CaptureError.timedOut(source: sourceName, seconds: startTimeout)
            }
        }
    }

    deinit {
        gst_element_set_state(pipeline, GST_STATE_NULL)
        gst_object_unref(UnsafeMutableRawPointer(bus))
        gst_object_unref(UnsafeMutableRawPointer(sink))
        gst_object_unref(UnsafeMutableRawPointer(pipeline))
    }

    /// The next frame, or nil at the end of the stream. Throws on a pipeline error or when no
    /// frame arrives within `timeout` seconds.
    public func nextFrame(timeout: Double = 5) throws -> CaptureFrame? {
        guard !finished else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let reason = pendingError() {
                finished = true
                throw CaptureError.streamFailed(source: sourceName, reason: reason)
            }
            // Short pulls, so errors on the bus are noticed while waiting.
            if let sample = gst_app_sink_try_pull_sample(sink, 100_000_000) {
                defer { gst_mini_object_unref(UnsafeMutableRawPointer(sample).assumingMemoryBound(to: GstMiniObject.self)) }
                let frame = try Self.frame(from: sample, index: pulled)
                pulled += 1
                return frame
            }
            if gst_app_sink_is_eos(sink) != 0 {
                finished = true
                if let reason = pendingError() { throw CaptureError.streamFailed(source: sourceName, reason: reason) }
                return nil
            }
            if Date() >= deadline { throw CaptureError.timedOut(source: sourceName, seconds: timeout) }
        }
    }

    /// The first error message waiting on the bus, if any.
    private func pendingError() -> String? {
        guard let message = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR) else { return nil }
        defer { gst_mini_object_unref(UnsafeMutableRawPointer(message).assumingMemoryBound(to: GstMiniObject.self)) }
        var error: UnsafeMutablePointer<GError>?
        var debug: UnsafeMutablePointer<gchar>?
        gst_message_parse_error(message, &error, &debug)
        g_free(debug)
        let origin = String(cString: numeral_gst_message_source_name(message))
        return "\(Self.take(error) ?? "unknown error") (from \(origin))"
    }

    /// A GError's message, freeing it.
    private static func take(_ error: UnsafeMutablePointer<GError>?) -> String? {
        guard let error else { return nil }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }

    private static func frame(from sample: OpaquePointer, index: Int) throws -> CaptureFrame {
        guard let caps = gst_sample_get_caps(sample), let structure = gst_caps_get_structure(caps, 0) else {
            throw CaptureError.badFrame(reason: "the frame has no format")
        }
        var width: gint = 0, height: gint = 0
        guard gst_structure_get_int(structure, "width", &width) != 0, gst_structure_get_int(structure, "height", &height) != 0,
              width > 0, height > 0, width <= 8192, height <= 8192 else {
            throw CaptureError.badFrame(reason: "size \(width)x\(height)")
        }
        guard let buffer = gst_sample_get_buffer(sample) else { throw CaptureError.badFrame(reason: "no pixels") }
        var info = GstMapInfo()
        guard gst_buffer_map(buffer, &info, GST_MAP_READ) != 0 else { throw CaptureError.badFrame(reason: "cannot map pixels") }
        defer { gst_buffer_unmap(buffer, &info) }
        let w = Int(width), h = Int(height)
        let stride = (w + 3) & ~3  // GStreamer pads GRAY8 rows to 4 bytes
        guard let data = info.data, Int(info.size) >= stride * (h - 1) + w else {
            throw CaptureError.badFrame(reason: "\(info.size) bytes for \(w)x\(h)")
        }
        var gray = [UInt8](repeating: 0, count: w * h)
        gray.withUnsafeMutableBufferPointer { out in
            for y in 0..<h { (out.baseAddress! + y * w).update(from: data + y * stride, count: w) }
        }
        let pts = numeral_gst_buffer_pts(buffer)
        let time: Double? = numeral_gst_clock_time_is_valid(pts) != 0 ? Double(pts) / 1e9 : nil
        return CaptureFrame(width: w, height: h, gray: gray, time: time, index: index)
    }
}
