/// The roll-up tables that let the analytics answer without reading the log: counts kept up to
/// date by triggers in the same transaction as every insert, upsert, feedback, import, copy,
/// spool replay or hand edit of a prediction, so they can never disagree with the records.
///
/// - `rollup_outcomes`: per UTC day × device × input type × predicted × actual value (numbers of
///   several digits share one value, `**`): count, correct, confidence sum, low-confidence count
///   (below 0.5) and how many have a latency.
/// - `rollup_histograms`: per UTC day × device × input type, the confidence (bins 0.01 wide) and
///   latency (bins 2 % wide) histograms, for percentiles.
/// - `rollup_slots`: per 15-minute UTC slot × device × input type, the labelled and correct
///   counts: the accuracy timeline in any time zone (every zone's hours start on a quarter hour).
///
/// Keys are whole numbers on both backends (days and slots since 1970, a missing device `''`),
/// so the reading SQL is shared. A change moves its counts: the old row's are taken away and
/// the new row's added.
enum RollupSchema {
    static let tables = ["rollup_outcomes", "rollup_histograms", "rollup_slots"]

    /// Statements creating the tables, the triggers and back-filling from the log as it is.
    static func statements(for backend: AnalyticsDialect.Backend) -> [String] {
        let e = RollupExpressions(backend: backend)
        let int = backend == .sqlite ? "INTEGER" : "BIGINT"
        let real = backend == .sqlite ? "REAL" : "DOUBLE PRECISION"
        let withoutRowID = backend == .sqlite ? " WITHOUT ROWID" : ""
        var sql = [
            """
            CREATE TABLE rollup_outcomes (
                day \(int) NOT NULL, device TEXT NOT NULL, input_type TEXT NOT NULL, predicted TEXT NOT NULL, actual TEXT NOT NULL,
                count \(int) NOT NULL, correct \(int) NOT NULL, confidence_sum \(real) NOT NULL,
                low_confidence \(int) NOT NULL, latency_count \(int) NOT NULL,
                PRIMARY KEY (day, device, input_type, predicted, actual))\(withoutRowID)
            """,
            """
            CREATE TABLE rollup_histograms (
                day \(int) NOT NULL, device TEXT NOT NULL, input_type TEXT NOT NULL, measure TEXT NOT NULL, bin \(int) NOT NULL,
                count \(int) NOT NULL,
                PRIMARY KEY (day, device, input_type, measure, bin))\(withoutRowID)
            """,
            """
            CREATE TABLE rollup_slots (
                slot \(int) NOT NULL, device TEXT NOT NULL, input_type TEXT NOT NULL, labelled \(int) NOT NULL, correct \(int) NOT NULL,
                PRIMARY KEY (slot, device, input_type))\(withoutRowID)
            """,
        ]
        sql += backfill(e)
        switch backend {
        case .sqlite:
            let columns = "timestamp, input_type, digit_predicted, digit_actual, confidence, latency_ms, device"
            sql.append("CREATE TRIGGER rollup_after_insert AFTER INSERT ON predictions BEGIN \(changes(e, row: "NEW", sign: 1)) END")
            sql.append("CREATE TRIGGER rollup_after_delete AFTER DELETE ON predictions BEGIN \(changes(e, row: "OLD", sign: -1)) END")
            sql.append("""
                CREATE TRIGGER rollup_after_update AFTER UPDATE OF \(columns) ON predictions
                BEGIN \(changes(e, row: "OLD", sign: -1)) \(changes(e, row: "NEW", sign: 1)) END
                """)
        case .postgres:
            sql.append("""
                CREATE FUNCTION numeral_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN \(changes(e, row: "OLD", sign: -1)) END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') THEN \(changes(e, row: "NEW", sign: 1)) END IF;
                    RETURN NULL;
                END $$
                """)
            sql.append("""
                CREATE TRIGGER predictions_rollup AFTER INSERT OR UPDATE OR DELETE ON predictions
                FOR EACH ROW EXECUTE FUNCTION numeral_rollup()
                """)
        }
        return sql
    }

    /// The statements adding `sign` times row `row`'s counts (`NEW` or `OLD` in a trigger).
    private static func changes(_ e: RollupExpressions, row r: String, sign s: Int) -> String {
        let c = e.columns(row: r)
        return """
            INSERT INTO rollup_outcomes (day, device, input_type, predicted, actual, count, correct, confidence_sum, low_confidence, latency_count)
            SELECT \(c.day), \(c.device), \(r).input_type, \(c.predicted), \(c.actual), \(s), \(s) * \(c.correct),
                   \(s) * \(r).confidence, \(s) * \(c.low), \(s) * \(c.hasLatency) WHERE true
            ON CONFLICT (day, device, input_type, predicted, actual) DO UPDATE SET
                count = rollup_outcomes.count + excluded.count, correct = rollup_outcomes.correct + excluded.correct,
                confidence_sum = rollup_outcomes.confidence_sum + excluded.confidence_sum,
                low_confidence = rollup_outcomes.low_confidence + excluded.low_confidence,
                latency_count = rollup_outcomes.latency_count + excluded.latency_count;
            INSERT INTO rollup_histograms (day, device, input_type, measure, bin, count)
            SELECT \(c.day), \(c.device), \(r).input_type, 'confidence', \(c.confidenceBin), \(s) WHERE true
            ON CONFLICT (day, device, input_type, measure, bin) DO UPDATE SET count = rollup_histograms.count + excluded.count;
            INSERT INTO rollup_histograms (day, device, input_type, measure, bin, count)
            SELECT \(c.day), \(c.device), \(r).input_type, 'latency', \(c.latencyBin), \(s) WHERE \(r).latency_ms IS NOT NULL
            ON CONFLICT (day, device, input_type, measure, bin) DO UPDATE SET count = rollup_histograms.count + excluded.count;
            INSERT INTO rollup_slots (slot, device, input_type, labelled, correct)
            SELECT \(c.slot), \(c.device), \(r).input_type, \(s), \(s) * \(c.correct) WHERE \(r).digit_actual IS NOT NULL
            ON CONFLICT (slot, device, input_type) DO UPDATE SET
                labelled = rollup_slots.labelled + excluded.labelled, correct = rollup_slots.correct + excluded.correct;
            """
    }

    /// The counts of the log as it is, once, when the tables are made.
    private static func backfill(_ e: RollupExpressions) -> [String] {
        let c = e.columns(row: "predictions")
        return [
            """
            INSERT INTO rollup_outcomes (day, device, input_type, predicted, actual, count, correct, confidence_sum, low_confidence, latency_count)
            SELECT \(c.day), \(c.device), input_type, \(c.predicted), \(c.actual), COUNT(*), SUM(\(c.correct)),
                   SUM(confidence), SUM(\(c.low)), SUM(\(c.hasLatency))
            FROM predictions GROUP BY 1, 2, 3, 4, 5
            """,
            """
            INSERT INTO rollup_histograms (day, device, input_type, measure, bin, count)
            SELECT \(c.day), \(c.device), input_type, 'confidence', \(c.confidenceBin), COUNT(*) FROM predictions GROUP BY 1, 2, 3, 4, 5
            """,
            """
            INSERT INTO rollup_histograms (day, device, input_type, measure, bin, count)
            SELECT \(c.day), \(c.device), input_type, 'latency', \(c.latencyBin), COUNT(*) FROM predictions
            WHERE latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            """,
            """
            INSERT INTO rollup_slots (slot, device, input_type, labelled, correct)
            SELECT \(c.slot), \(c.device), input_type, COUNT(*), SUM(\(c.correct)) FROM predictions
            WHERE digit_actual IS NOT NULL GROUP BY 1, 2, 3
            """,
        ]
    }
}
