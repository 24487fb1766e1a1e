import Dispatch
import Foundation
import NumeralCapture
import NumeralUI

/// One open camera stream of the camera view, off the UI thread: a `FramePump` reads the source
/// on its own thread; each frame goes to the preview, with at most one waiting for the UI (a
/// newer frame replaces a waiting one), and to the reader on a queue of its own, newest frame
/// first: frames that arrive while one is being read replace the one waiting, never queue.
/// Everything comes back to the view as `CameraEvent`s through `post`.
final class CameraFeed: @unchecked Sendable {
    let stream: Int
    private let post: @Sendable (CameraEvent) -> Void
    private let reader: CameraFrameReading?
    private let readerProblem: String
    private let readQueue = DispatchQueue(label: "numeral.camera.read", qos: .userInitiated)

    /// What the pump's thread, the reader's queue and the UI thread share.
    private struct Flow {
        var pump: FramePump?
        /// A frame was posted to the preview and not yet shown; newer ones wait in `nextPreview`.
        var previewWaiting = false
        var nextPreview: CameraFrame?
        /// The reader is at work; the newest frame since waits in `nextRead` (older ones dropped).
        var readerBusy = false
        var nextRead: CameraFrame?
        var readingEnabled = true
        var stopped = false
    }
    private let flow = Locked(Flow())

    init(stream: Int, reader: CameraFrameReading?, readerProblem: String,
         post: @escaping @Sendable (CameraEvent) -> Void) {
        self.stream = stream
        self.reader = reader
        self.readerProblem = readerProblem
        self.post = post
    }

    /// Opens the source on the pump's thread; returns at once.
    func start(_ source: CameraSource, startTimeout: Double = 10, frameTimeout: Double = 5) {
        let capture: CaptureSource
        switch source {
        case .device(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                post(.streamStopped(stream: stream, .failed(CaptureError.cannotOpen(
                    source: source.description, reason: "there is no such device (is the camera connected?)").description)))
                return
            }
            capture = .device(path)
        case .recording(let location):
            if !location.contains("://"), !location.contains("%"), !FileManager.default.fileExists(atPath: location) {
                post(.streamStopped(stream: stream, .failed(CaptureError.cannotOpen(source: location, reason: "there is no such file").description)))
                return
            }
            capture = .media(location)
        }
        let pump = FramePump(source: capture, paced: true, startTimeout: startTimeout, frameTimeout: frameTimeout) { [weak self] event in
            self?.handle(event)
        }
        flow.withLock { $0.pump = pump }
        pump.start()
    }

    /// Stops reading and posting; a frame being read finishes but is not posted.
    func stop() {
        let pump = flow.withLock { flow -> FramePump? in
            flow.stopped = true
            flow.nextRead = nil
            flow.nextPreview = nil
            return flow.pump
        }
        pump?.stop() // outside the lock: the pump's handler takes it
    }

    /// The preview took the frame it was sent: send the newest one waiting, if any.
    func frameShown() {
        let next = flow.withLock { flow -> CameraFrame? in
            guard !flow.stopped, let frame = flow.nextPreview else {
                flow.previewWaiting = false
                return nil
            }
            flow.nextPreview = nil
            return frame
        }
        if let next { post(.frameArrived(stream: stream, next)) }
    }

    func setReading(_ enabled: Bool) {
        flow.withLock { flow in
            flow.readingEnabled = enabled
            if !enabled { flow.nextRead = nil }
        }
    }

    /// Waits (for tests) until the reader has finished what it was given so far.
    func waitForReader() { readQueue.sync {} }

    private func handle(_ event: FramePump.Event) {
        switch event {
        case .started:
            post(.streamStarted(stream: stream))
        case .ended:
            post(.streamStopped(stream: stream, .ended))
        case .failed(let error):
            post(.streamStopped(stream: stream, .failed(error.description)))
        case .frame(let captured):
            let frame = CameraFrame(width: captured.width, height: captured.height, gray: captured.gray,
                                    index: captured.index, time: captured.time)
            let (showNow, readNow) = flow.withLock { flow -> (Bool, Bool) in
                guard !flow.stopped else { return (false, false) }
                var show = false, read = false
                if flow.previewWaiting {
                    flow.nextPreview = frame
                } else {
                    flow.previewWaiting = true
                    show = true
                }
                if flow.readingEnabled {
                    if flow.readerBusy {
                        flow.nextRead = frame // a frame still waiting is dropped
                    } else {
                        flow.readerBusy = true
                        read = true
                    }
                }
                return (show, read)
            }
            if showNow { post(.frameArrived(stream: stream, frame)) }
            if readNow { readQueue.async { [self] in readLoop(frame) } }
        }
    }

    /// Reads frames until none is waiting.
    private func readLoop(_ first: CameraFrame) {
        var frame = first
        while true {
            let event: CameraEvent
            if let reader {
                do {
                    event = .frameRead(stream: stream, frame, try reader.read(frame))
                } catch {
                    event = .frameFailed(stream: stream, String(describing: error))
                }
            } else {
                event = .frameFailed(stream: stream, readerProblem)
            }
            let (live, next) = flow.withLock { flow -> (Bool, CameraFrame?) in
                let live = !flow.stopped && flow.readingEnabled
                let next = flow.nextRead
                flow.nextRead = nil
                if next == nil || !live { flow.readerBusy = false }
                return (live, next)
            }
            if live { post(event) }
            guard live, let next else { return }
            frame = next
        }
    }
}
