/// What a correction shows once the log answered: its feedback state and the status line. The
/// drawing view and the camera view give the same answer; `next` tells what to do after.
struct FeedbackResult {
    let feedback: FeedbackState
    let message: StatusMessage

    init(actual: String, outcome: LogOutcome, next: String? = nil) {
        switch outcome {
        case .failed(let error):
            feedback = .failed(actual: actual, message: error)
            message = StatusMessage("Could not record \(actual): \(error)", .error)
        case .logged:
            feedback = .recorded(actual: actual)
            message = StatusMessage("Recorded: \(actual)" + (next.map { " · \($0)" } ?? ""), .success)
        case .kept:
            feedback = .recorded(actual: actual)
            message = StatusMessage("Recorded: \(actual) (kept safely; the log is busy and gets it soon)", .success)
        }
    }
}
