# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_starpos_global_optspecs
    string join \n gateway= org-no= merc-id= trm-no= key= timeout-ms= trm-typ= opr-id= latitude= longitude= journal= json show-secrets color= no-color h/help V/version
end

function __fish_starpos_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_starpos_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_starpos_using_subcommand
    set -l cmd (__fish_starpos_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c starpos -n "__fish_starpos_needs_command" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_needs_command" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_needs_command" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_needs_command" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_needs_command" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_needs_command" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_needs_command" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_needs_command" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_needs_command" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_needs_command" -s V -l version -d 'Print version'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "qry" -d 'pubSigQry: the merchant\'s WeChat official account (appId, appIdKey)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "pay" -d 'pubSigPay: pay with a WeChat OAuth code (answers A: the payer confirms in WeChat)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "query" -d 'sdkQryBarcodePay: the order\'s state now (read-only, safe to repeat)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "wait" -d 'Query the order until it is final (S, F or D) or the deadline passes'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "refund" -d 'sdkRefundBarcodePay: give money back (all of it without --txn-amt)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "revoke" -d 'RevokeBarcodepay: undo a counter sale the same day (the order then queries D)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "barcode-pay" -d 'sdkBarcodePay: charge the payment code scanned from the payer\'s phone (pays once)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "qr-pay" -d 'sdkBarcodePosPay: make a QR order for the payer to scan; prints the QR code'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "sale" -d 'The whole barcode sale: pay once, then query the sale\'s tradeNo until it is final'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "recover" -d 'After a crash: query every sale the journal (--journal) holds open until final'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "journal" -d 'The sales the journal (--journal) holds, oldest first; --summary: the day\'s totals'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "oauth-url" -d 'The WeChat link that yields the pay code (no gateway call)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "call" -d 'Any other endpoint, signed and verified'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "sim" -d 'Serve the gateway simulator until interrupted (the options and exits of starpos-sim)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "demo" -d 'The whole sale against the built-in simulator, step by step'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish, elvish or powershell'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "man" -d 'Print the manual page (roff; `starpos man | man -l -`)'
complete -c starpos -n "__fish_starpos_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l attach -d 'Free text echoed back (makes the version V1.0.1)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand qry" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand qry" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l code -d 'The WeChat OAuth code (or give --openid)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l openid -d 'The payer\'s openid instead of a code (makes the version V1.0.1)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l amount -d 'What the payer pays, in fen' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l total-amount -d 'The order\'s total, in fen (at least --amount)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l subject -d 'What is sold' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l sel-order-no -d 'The merchant\'s own order number (unique)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l goods-tag -d 'WeChat goods tag' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l attach -d 'Free text echoed back (makes the version V1.0.1)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand pay" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand pay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand query" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l trade-no -d 'This query\'s own tradeNo (default: a new one)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l qry-no -d 'The order: its logNo, orderNo or tradeNo' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand query" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand query" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand query" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand query" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand query" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l qry-no -d 'The order: its logNo, orderNo or tradeNo' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l interval-ms -d 'Time between queries, in ms (default 3000)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l deadline-ms -d 'Give up after this many ms (default 60000)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand wait" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l trade-no -d 'This refund\'s own tradeNo (default: a new one); query it after an in-doubt failure' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l order-no -d 'The channel\'s orderNo, from a query that answered S' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l txn-amt -d 'How much to give back, in fen (default: all)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand refund" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand refund" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l qry-no -d 'The sale to revoke: its tradeNo (same day only)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l trade-no -d 'This revoke\'s own tradeNo (default: a new one)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l trade-no -d 'This sale\'s tradeNo (default: a new one, printed): query it if the answer is lost' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l auth-code -d 'The payment code scanned from the payer\'s phone (never printed)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l pay-channel -d 'WXPAY, ALIPAY or YLPAY (default: from the code\'s prefix)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l amount -d 'What the payer pays, in fen' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l total-amount -d 'The order\'s total, in fen (at least --amount)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l subject -d 'What is sold (≤ 512 bytes counted in GBK)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l sel-order-no -d 'The merchant\'s own order number' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l goods-tag -d 'Goods tag (≤ 512 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l attach -d 'Free text echoed back (≤ 512 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l add-field -d 'addField, sent as given (≤ 256 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand barcode-pay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l trade-no -d 'This sale\'s tradeNo (default: a new one, printed)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l pay-channel -d 'WXPAY, ALIPAY or YLPAY' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l amount -d 'What the payer pays, in fen' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l total-amount -d 'The order\'s total, in fen (at least --amount)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l subject -d 'What is sold (≤ 512 bytes counted in GBK)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l sel-order-no -d 'The merchant\'s own order number' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l goods-tag -d 'Goods tag (≤ 512 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l attach -d 'Free text echoed back (≤ 512 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l add-field -d 'addField, sent as given (≤ 256 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand qr-pay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l txn-time -d 'txnTime, `yyyyMMddHHmmss` (default: now)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l protocol-version -d 'The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l trade-no -d 'This sale\'s tradeNo (default: a new one, printed): query it if the answer is lost' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l auth-code -d 'The payment code scanned from the payer\'s phone (never printed)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l pay-channel -d 'WXPAY, ALIPAY or YLPAY (default: from the code\'s prefix)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l amount -d 'What the payer pays, in fen' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l total-amount -d 'The order\'s total, in fen (at least --amount)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l subject -d 'What is sold (≤ 512 bytes counted in GBK)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l sel-order-no -d 'The merchant\'s own order number' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l goods-tag -d 'Goods tag (≤ 512 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l attach -d 'Free text echoed back (≤ 512 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l add-field -d 'addField, sent as given (≤ 256 GBK bytes)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l interval-ms -d 'Time between queries, in ms (default 3000)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l deadline-ms -d 'Give up querying after this many ms (default 60000); then query the tradeNo later' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l revoke-on-give-up -d 'The closed loop: when the sale is given up in doubt (deadline, Ctrl-C), revoke it so the payer is never charged; ends D (revoked), or the sale\'s final state if it got one'
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand sale" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand sale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l deadline-ms -d 'Stop querying after this many ms (default 30000); what is still unknown stays open' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand recover" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand recover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l summary -d 'The closing summary instead of the sales: per kind and channel, how many, the fen paid and refunded (settled S), and the sales still open (run `starpos recover` first)'
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand journal" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand journal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l app-id -d 'The official account\'s appId (from `starpos qry`)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l redirect-uri -d 'Where WeChat sends the payer back with ?code=...' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l state -d 'Echoed back to the redirect URI' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand oauth-url" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand call" -l fields -d 'The endpoint\'s own fields, one JSON object' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand call" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand call" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand call" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand call" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand call" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l port -d 'The port to listen on (default: any free port; the base URL says which)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l bind -d 'The address to listen on, IP or IP:PORT (default 127.0.0.1: this machine only)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l settle-after-ms -d 'Waiting (A) payments become S this many ms after the pay (default: they stay A until POST /_sim/confirm or /_sim/cancel)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l org-no -d 'The merchant\'s orgNo, the only one accepted' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l merc-id -d 'The merchant\'s mercId, the only one accepted' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l key -d 'The merchant key requests must be signed with (default: the simulator\'s test key, starpos_sim::DEFAULT_KEY); printed masked' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l app-id -d 'The official account\'s appId that pubSigQry answers' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l app-id-key -d 'The official account\'s appIdKey that pubSigQry answers (default: starpos_sim::DEFAULT_APP_ID_KEY); printed masked' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l show-secrets -d 'Print the keys in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand sim" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand sim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand demo" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand completions" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand man" -l gateway -d 'The gateway: production (default), sandbox, or a URL such as `starpos sim` prints' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l org-no -d 'The merchant\'s orgNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l merc-id -d 'The merchant\'s mercId (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l trm-no -d 'The terminal\'s trmNo (for commands that call the gateway)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l key -d 'The merchant key (for commands that call the gateway); never printed' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l timeout-ms -d 'Time limit of one gateway call, in ms (default: the library\'s)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l trm-typ -d 'trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK\'s name), A app, C PC, T table sign' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l opr-id -d 'oprId sent with every sdk call: the cashier (≤ 6 letters/digits)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l latitude -d 'latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals (31.23042)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l longitude -d 'longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals (121.47370, -121.5)' -r
complete -c starpos -n "__fish_starpos_using_subcommand man" -l journal -d 'The sale journal\'s file: sales are recorded before they are sent and settled by `starpos recover` after a crash' -r -F
complete -c starpos -n "__fish_starpos_using_subcommand man" -l color -d 'Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not set), always, never' -r -f -a "auto\t'When stdout is a terminal and `NO_COLOR` is not set (or empty)'
always\t'Always (for `less -R`, a test)'
never\t'Never'"
complete -c starpos -n "__fish_starpos_using_subcommand man" -l json -d 'Print one JSON object with the wire field names (failures too, on stdout)'
complete -c starpos -n "__fish_starpos_using_subcommand man" -l show-secrets -d 'Print secrets (appIdKey, ...) in clear instead of masked'
complete -c starpos -n "__fish_starpos_using_subcommand man" -l no-color -d 'Plain characters, no colours: the same as --color never (for logs)'
complete -c starpos -n "__fish_starpos_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "qry" -d 'pubSigQry: the merchant\'s WeChat official account (appId, appIdKey)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "pay" -d 'pubSigPay: pay with a WeChat OAuth code (answers A: the payer confirms in WeChat)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "query" -d 'sdkQryBarcodePay: the order\'s state now (read-only, safe to repeat)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "wait" -d 'Query the order until it is final (S, F or D) or the deadline passes'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "refund" -d 'sdkRefundBarcodePay: give money back (all of it without --txn-amt)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "revoke" -d 'RevokeBarcodepay: undo a counter sale the same day (the order then queries D)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "barcode-pay" -d 'sdkBarcodePay: charge the payment code scanned from the payer\'s phone (pays once)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "qr-pay" -d 'sdkBarcodePosPay: make a QR order for the payer to scan; prints the QR code'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "sale" -d 'The whole barcode sale: pay once, then query the sale\'s tradeNo until it is final'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "recover" -d 'After a crash: query every sale the journal (--journal) holds open until final'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "journal" -d 'The sales the journal (--journal) holds, oldest first; --summary: the day\'s totals'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "oauth-url" -d 'The WeChat link that yields the pay code (no gateway call)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "call" -d 'Any other endpoint, signed and verified'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "sim" -d 'Serve the gateway simulator until interrupted (the options and exits of starpos-sim)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "demo" -d 'The whole sale against the built-in simulator, step by step'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish, elvish or powershell'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "man" -d 'Print the manual page (roff; `starpos man | man -l -`)'
complete -c starpos -n "__fish_starpos_using_subcommand help; and not __fish_seen_subcommand_from qry pay query wait refund revoke barcode-pay qr-pay sale recover journal oauth-url call sim demo completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
