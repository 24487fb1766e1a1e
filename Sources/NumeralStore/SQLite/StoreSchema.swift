import GRDB

/// The log's schema as a sequence of versions. Released versions are never edited: a
/// database written by any earlier Numeral is upgraded in place by running the rest.
enum StoreSchema {
    static let v1 = "v1-seed-log"
    static let v2 = "v2-prediction-details"
    static let v3 = "v3-models-and-time-index"
    static let v4 = "v4-change-counter"
    static let v5 = "v5-record-uid"
    static let v6 = "v6-device-and-client"
    static let v7 = "v7-analytics-indexes"
    static let v8 = "v8-covering-analytics-indexes"
    static let v9 = "v9-rollups"
    static let versions = [v1, v2, v3, v4, v5, v6, v7, v8, v9]
    /// `PRAGMA user_version` of a log at the newest schema this program knows. A larger value
    /// means a newer Numeral wrote the file, and this one must not write to it.
    static let userVersion = 9

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        // The seed app's CSV columns, one row per prediction.
        migrator.registerMigration(v1) { db in
            try db.execute(sql: """
                CREATE TABLE predictions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    timestamp TEXT NOT NULL,
                    input_type TEXT NOT NULL,
                    digit_predicted TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    digit_actual TEXT
                )
                """)
        }

        // What the model improvement loop and the dashboard need besides the seed columns.
        // Rows from v1 get an empty top-3, an "unknown" model and no latency/input/drawing.
        migrator.registerMigration(v2) { db in
            try db.execute(sql: """
                ALTER TABLE predictions ADD COLUMN top3 TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE predictions ADD COLUMN model_version TEXT NOT NULL DEFAULT 'unknown';
                ALTER TABLE predictions ADD COLUMN latency_ms REAL;
                ALTER TABLE predictions ADD COLUMN input BLOB;
                ALTER TABLE predictions ADD COLUMN drawing TEXT;
                """)
        }

        // Model versions for retraining from feedback; the partial unique index makes
        // "more than one active model" impossible rather than merely unlikely.
        migrator.registerMigration(v3) { db in
            try db.execute(sql: """
                CREATE TABLE models (
                    id TEXT PRIMARY KEY NOT NULL,
                    created TEXT NOT NULL,
                    path TEXT NOT NULL,
                    parent_id TEXT,
                    metrics TEXT NOT NULL DEFAULT '{}',
                    is_active INTEGER NOT NULL DEFAULT 0
                );
                CREATE UNIQUE INDEX models_single_active ON models(is_active) WHERE is_active = 1;
                CREATE INDEX predictions_by_timestamp ON predictions(timestamp);
                """)
        }

        // One number that every change bumps, so a dashboard in another process can poll
        // "anything new?" with a single-row read. Triggers keep it right for every writer,
        // including the sqlite3 shell.
        migrator.registerMigration(v4) { db in
            var sql = """
                CREATE TABLE log_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO log_revision (id, value) VALUES (1, 0);
                """
            for table in ["predictions", "models"] {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    sql += """

                        CREATE TRIGGER \(table)_\(event.lowercased())_bumps_revision AFTER \(event) ON \(table)
                        BEGIN UPDATE log_revision SET value = value + 1 WHERE id = 1; END;
                        """
                }
            }
            try db.execute(sql: sql)
        }

        // One record per drawing: the writer names each record with a unique id of its own
        // before it reaches the database, so a prediction updated as strokes are added, a
        // correction, and a write replayed from the durable spool after a lock all find the
        // same row. NULL for rows logged before (SQLite lets NULLs repeat in a UNIQUE index).
        migrator.registerMigration(v5) { db in
            try db.execute(sql: """
                ALTER TABLE predictions ADD COLUMN uid TEXT;
                CREATE UNIQUE INDEX predictions_by_uid ON predictions(uid);
                PRAGMA user_version = 5;
                """)
        }

        // One log for a fleet: which kiosk, app or server instance made each record (its
        // configured device name, else the host name), and for the HTTP API which client.
        // NULL for rows logged before.
        migrator.registerMigration(v6) { db in
            try db.execute(sql: """
                ALTER TABLE predictions ADD COLUMN device TEXT;
                ALTER TABLE predictions ADD COLUMN client TEXT;
                CREATE INDEX predictions_by_device ON predictions(device, timestamp);
                PRAGMA user_version = 6;
                """)
        }

        // The SQL analytics read percentiles (median confidence, latency p50/p95) by walking
        // these in order instead of sorting the log.
        migrator.registerMigration(v7) { db in
            try db.execute(sql: """
                CREATE INDEX predictions_by_confidence ON predictions(confidence);
                CREATE INDEX predictions_by_latency ON predictions(latency_ms);
                PRAGMA user_version = 7;
                """)
        }

        // `stats` and the dashboard in two ordered index walks, without sorting or reading the
        // table (whose rows carry the 28×28 inputs and drawings): the outcome groups along
        // predictions_by_outcome, the labelled rows' 15-minute slots along
        // predictions_by_labelled_slot (the expressions are those of `AnalyticsDialect.sqlite`, verbatim).
        migrator.registerMigration(v8) { db in
            try db.execute(sql: """
                CREATE INDEX predictions_by_outcome
                    ON predictions(device, input_type, digit_actual, digit_predicted, confidence, latency_ms, timestamp);
                CREATE INDEX predictions_by_labelled_slot
                    ON predictions(substr(timestamp, 1, 14), CAST(substr(timestamp, 15, 2) AS INTEGER) / 15,
                                   digit_actual, digit_predicted, timestamp)
                    WHERE digit_actual IS NOT NULL;
                PRAGMA user_version = 8;
                """)
        }

        // Analytics whose cost does not grow with the log: roll-up tables kept by triggers in
        // each write's transaction, back-filled here once (`RollupSchema`).
        migrator.registerMigration(v9) { db in
            for statement in RollupSchema.statements(for: .sqlite) { try db.execute(sql: statement) }
            try db.execute(sql: "PRAGMA user_version = 9")
        }
        return migrator
    }
}
