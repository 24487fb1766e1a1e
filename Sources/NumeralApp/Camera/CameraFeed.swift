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
    private var pump: FramePump?

    private let lock = NSLock()
    private var previewWaiting = false
    private var nextPreview: CameraFrame?
    private var readerBusy = false
    private var nextRead: CameraFrame?
    private var readingEnabled = true
    private var stopped = false
    /// Frames the reader skipped because newer ones came while it was busy.
    private(set) var framesDropped = 0

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
        lock.lock()
        self.pump = pump
        lock.unlock()
        pump.start()
    }

    /// Stops reading and posting; a frame being read finishes but is not posted.
    func stop() {
        lock.lock()
        stopped = true
        let pump = self.pump
        nextRead = nil
        nextPreview = nil
        lock.unlock()
        pump?.stop() // outside the lock: the pump's handler takes it
    }

    /// The preview took the frame it was sent: send the newest one waiting, if any.
    func frameShown() {
        lock.lock()
        guard !stopped, let frame = nextPreview else {
            previewWaiting = false
            lock.unlock()
            return
        }
        nextPreview = nil
        lock.unlock()
        post(.frameArrived(stream: stream, frame))
    }

    func setReading(_ enabled: Bool) {
        lock.lock()
        readingEnabled = enabled
        if !enabled { nextRead = nil }
        lock.unlock()
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
            lock.lock()
            guard !stopped else { lock.unlock(); return }
            var showNow = false
            if previewWaiting {
                nextPreview = frame
            } else {
                previewWaiting = true
                showNow = true
            }
            var readNow = false
            if readingEnabled {
                if readerBusy {
                    if nextRead != nil { framesDropped += 1 }
                    nextRead = frame
                } else {
                    readerBusy = true
                    readNow = true
                }
            }
            lock.unlock()
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
            lock.lock()
            let live = !stopped && readingEnabled
            let next = nextRead
            nextRead = nil
            if next == nil || !live { readerBusy = false }
            lock.unlock()
            if live { post(event) }
            guard live, let next else { return }
            frame = next
        }
    }
}
