import Foundation

/// Reads a capture source on a thread of its own until the source ends, fails or `stop()` is
/// called, handing every frame to `handler` as it arrives. The pipeline is opened on that
/// thread too, so a camera that takes seconds to open (or never does) never holds up the
/// caller: a front end's UI thread only calls `start()` and `stop()`, which return at once.
///
/// The handler runs on the pump's thread and must be quick (hand the frame on, drop it, or
/// keep only the newest): while it runs, the app sink keeps only the newest frame of a camera.
public final class FramePump: @unchecked Sendable {
    public enum Event: Sendable {
        /// The source opened.
        case started
        case frame(CaptureFrame)
        /// The end of the stream: a recording is over, a camera stopped sending.
        case ended
        /// It could not be opened, or failed while running (unplugged, corrupt), or stalled.
        case failed(CaptureError)
    }

    /// What the pump reads, as errors name it.
    public let sourceName: String
    private let description: String
    private let startTimeout: Double
    private let frameTimeout: Double
    private let handler: @Sendable (Event) -> Void
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?

    /// `paced`: a recording plays at its own frame rate, the way a camera delivers frames
    /// (otherwise it is read as fast as it decodes). `frameTimeout`: a source that sends no
    /// frame for this long has failed.
    public convenience init(source: CaptureSource, paced: Bool = true, startTimeout: Double = 10, frameTimeout: Double = 5,
                            handler: @escaping @Sendable (Event) -> Void) {
        self.init(description: source.pipelineDescription(paced: paced), sourceName: source.description,
                  startTimeout: startTimeout, frameTimeout: frameTimeout, handler: handler)
    }

    /// A pump over any pipeline description ending in `appsink name=sink` giving GRAY8.
    public init(description: String, sourceName: String, startTimeout: Double = 10, frameTimeout: Double = 5,
                handler: @escaping @Sendable (Event) -> Void) {
        self.description = description
        self.sourceName = sourceName
        self.startTimeout = startTimeout
        self.frameTimeout = frameTimeout
        self.handler = handler
    }

    deinit { stop() }

    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard thread == nil, !stopped else { return }
        let thread = Thread { [self] in run() }
        thread.name = "numeral.capture"
        thread.qualityOfService = .userInitiated
        self.thread = thread
        thread.start()
    }

    /// Stops reading; no event is delivered after this returns (one being delivered finishes).
    /// The pipeline is released on the pump's thread within a fraction of a second.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    public var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Delivers an event unless stopped. The lock is held while the handler runs, so `stop()`
    /// returning means no handler call is under way or to come.
    private func deliver(_ event: Event) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return false }
        handler(event)
        return true
    }

    private func run() {
        let pipeline: CapturePipeline
        do {
            pipeline = try CapturePipeline(description: description, sourceName: sourceName, startTimeout: startTimeout)
        } catch let error as CaptureError {
            _ = deliver(.failed(error))
            return
        } catch {
            _ = deliver(.failed(.cannotOpen(source: sourceName, reason: String(describing: error))))
            return
        }
        guard deliver(.started) else { return }
        // Short pulls, so stop() takes effect quickly; the stall limit is counted here.
        var lastFrame = Date()
        while !isStopped {
            do {
                guard let frame = try pipeline.nextFrame(timeout: 0.2) else {
                    _ = deliver(.ended)
                    return
                }
                lastFrame = Date()
                guard deliver(.frame(frame)) else { return }
            } catch CaptureError.timedOut {
                if Date().timeIntervalSince(lastFrame) >= frameTimeout {
                    _ = deliver(.failed(.timedOut(source: sourceName, seconds: frameTimeout)))
                    return
                }
            } catch let error as CaptureError {
                _ = deliver(.failed(error))
                return
            } catch {
                _ = deliver(.failed(.streamFailed(source: sourceName, reason: String(describing: error))))
                return
            }
        }
    }
}
