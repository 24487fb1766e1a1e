import Foundation
import NumeralStore
import NumeralUI

extension DashboardQuery {
    /// The log filter for this query, with relative ranges ending at `now`.
    public func logFilter(now: Date) -> LogFilter {
        LogFilter(from: range.seconds.map { now.addingTimeInterval(-$0) }, to: nil,
                  inputType: input.inputType, device: device)
    }
}
