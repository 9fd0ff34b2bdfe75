//! Many clients at once, on keep-alive connections.

mod common;

use common::*;
use starpos_sim::{SimConfig, Simulator};
use std::collections::HashSet;

#[test]
fn eight_threads_times_five_hundred_calls() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let log_nos: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    let mut conn = Conn::open(sim.port());
                    let mut mine = Vec::new();
                    for i in 0..500 {
                        if i % 2 == 0 {
                            let fields = pay_fields(&unique("code"), "1", "2");
                            let answer = conn
                                .call("pubSigPay", &pairs(&fields))
                                .unwrap_or_else(|e| {
                                    panic!("call {i}: {e}; sim saw {}", sim.request_count())
                                })
                                .answer()
                                .unwrap();
                            mine.push(answer.text("logNo").to_owned());
                        } else {
                            let last = mine.last().unwrap().clone();
                            let answer = conn
                                .call("sdkQryBarcodePay", &pairs(&query_fields(&last)))
                                .unwrap()
                                .answer()
                                .unwrap();
                            assert_eq!(answer.text("logNo"), last);
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let all: HashSet<String> = log_nos.into_iter().flatten().collect();
    assert_eq!(all.len(), 8 * 250, "every logNo is unique");
    assert_eq!(sim.request_count(), 8 * 500);
    assert_eq!(sim.orders().len(), 8 * 250);
}
