//! Running a child program to the end with a time limit, capturing what it printed.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a child program may run before it is killed and the test fails.
pub const RUN_LIMIT: Duration = Duration::from_secs(60);

/// What a finished program did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn describe(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `cmd` to the end, killing it if it takes longer than [`RUN_LIMIT`].
///
/// Two threads read stdout and stderr to their end (the child closing them, by exiting or
/// being killed); the test waits for both with a deadline rather than polling.
pub fn run(mut cmd: Command) -> Run {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {shown}: {e}"));
    let (tx, rx) = mpsc::channel();
    let pipes: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().expect("stdout is piped")),
        Box::new(child.stderr.take().expect("stderr is piped")),
    ];
    for (n, mut pipe) in pipes.into_iter().enumerate() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            let _ = tx.send((n, bytes));
        });
    }
    drop(tx);
    let deadline = Instant::now() + RUN_LIMIT;
    let mut outputs = [Vec::new(), Vec::new()];
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((n, bytes)) => outputs[n] = bytes,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{shown} ran longer than {RUN_LIMIT:?} and was killed");
            }
        }
    }
    let status = child.wait().expect("the finished child can be waited for");
    let [stdout, stderr] = outputs.map(|b| String::from_utf8_lossy(&b).into_owned());
    Run {
        code: status.code(),
        stdout,
        stderr,
    }
}
