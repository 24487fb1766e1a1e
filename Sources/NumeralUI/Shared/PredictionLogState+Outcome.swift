extension PredictionLogState {
    /// Where a prediction stands once the log answered.
    init(_ outcome: LogOutcome) {
        switch outcome {
        case .failed(let problem): self = .failed(problem)
        case .kept(let reason): self = .kept(reason)
        case .logged(let id): self = .logged(id: id)
        }
    }
}

extension LogOutcome {
    /// Why logging does not work, for the status bar; nil once a prediction was written or kept.
    var loggingProblem: String? {
        if case .failed(let problem) = self { return problem }
        return nil
    }

    /// The status line a failed write shows ("logging unavailable: ..."); nil otherwise.
    var loggingMessage: StatusMessage? {
        loggingProblem.map { StatusMessage("logging unavailable: \($0)", .error) }
    }
}
