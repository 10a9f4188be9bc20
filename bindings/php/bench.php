<?php

/**
 * Benchmark: the full signature of one request (timestamp "now", body hash/HMAC, every header
 * as a PHP array) through payauth vs a pure-PHP implementation with hash_hmac(), for
 * paynet-reports and netzme, GET and 1 KiB POST. Prints ns/op (best of interleaved rounds)
 * and the ratio payauth/PHP (target <= 0.5), then where payauth's time goes: the packed
 * one-crossing call that Signer::sign() uses without explain, next to the 15-argument object
 * path (payauth_signer_sign + payauth_headers_text) that explain=true still uses.
 *
 * Usage: php bench.php            (PAYAUTH_BENCH_QUICK=1 for a few-second smoke run)
 * Exit status 1 only if payauth and PHP disagree on a signature; speed is never asserted.
 */

declare(strict_types=1);

require __DIR__ . '/autoload.php';

use PayAuth\Internal\Native;
use PayAuth\Library;
use PayAuth\Result;
use PayAuth\Signer;

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl';
const REPORTS = ['profile' => 'paynet-reports', 'client_id' => 'reports-client', 'client_secret' => 'my_client_secret'];
const NETZME = ['profile' => 'netzme', 'client_id' => 'TokoNetmeClientId', 'client_secret' => 'MaREaULkzAUTAFYg'];

$quick = getenv('PAYAUTH_BENCH_QUICK') === '1';
[$rounds, $iters] = $quick ? [5, 2000] : [21, 20000];

/** Pure PHP paynet-reports: X-Timestamp (unix seconds) and X-Signature = hex HMAC-SHA256(ts). */
function php_reports(string $method, string $path, string $body, string $token, int $timeMs = 0): array
{
    $ts = (string) intdiv($timeMs !== 0 ? $timeMs : (int) (microtime(true) * 1000), 1000);
    return [
        'Authorization' => 'Bearer ' . $token,
        'X-Timestamp' => $ts,
        'X-Signature' => hash_hmac('sha256', $ts, REPORTS['client_secret']),
    ];
}

/** Pure PHP Netzme legacy: HMAC-SHA256 of the payload template under the key template. */
function php_netzme(string $method, string $path, string $body, string $token, int $timeMs = 0): array
{
    $ts = (string) ($timeMs !== 0 ? $timeMs : (int) (microtime(true) * 1000));
    $auth = 'Bearer ' . $token;
    $payload = 'path=' . $path . '&method=' . strtoupper($method) . '&token=' . $auth . '&timestamp=' . $ts . '&body=' . $body;
    return [
        'Authorization' => $auth,
        'Request-Time' => $ts,
        'Signature' => hash_hmac('sha256', $payload, NETZME['client_secret'] . '-' . $ts . '-' . $auth),
        'Client-Id' => NETZME['client_id'],
        'Content-Type' => 'application/json',
    ];
}

/**
 * ns/op of each closure of $fs (label => closure), timed in interleaved rounds: the best round
 * (other processes share the 2 cores, so noise only ever adds time).
 */
function measure(array $fs, int $rounds, int $iters): array
{
    $samples = array_fill_keys(array_keys($fs), []);
    foreach ($fs as $f) {
        for ($i = 0; $i < 200; $i++) {
            $f(); // warm up
        }
    }
    for ($r = 0; $r < $rounds; $r++) {
        foreach ($fs as $label => $f) {
            $t = hrtime(true);
            for ($i = 0; $i < $iters; $i++) {
                $f();
            }
            $samples[$label][] = (hrtime(true) - $t) / $iters;
        }
    }
    return array_map('min', $samples);
}

$body = str_repeat('{"k":"' . str_repeat('v', 25) . '"},', 32); // 1 KiB
$body = '[' . substr($body, 0, 1022) . ']';
$cases = [
    ['paynet-reports', 'GET', '/v1/reports?date=2024-01-01', '', REPORTS, 'php_reports'],
    ['paynet-reports', 'POST', '/v1/reports', $body, REPORTS, 'php_reports'],
    ['netzme', 'GET', '/api/aggregator/merchant/qr/status?id=42', '', NETZME, 'php_netzme'],
    ['netzme', 'POST', '/api/aggregator/merchant/qr/invoice', $body, NETZME, 'php_netzme'],
];

printf("payauth %s via FFI (%s), PHP %s, %s mode: best of %d interleaved rounds x %d iterations, ns/op\n",
    Library::version(), Library::mode(), PHP_VERSION, $quick ? 'quick' : 'full', $rounds, $iters);
printf("%-24s %8s %10s %10s %7s\n", 'case', 'body', 'payauth', 'PHP', 'ratio');
$failed = false;
$ratios = [];
foreach ($cases as [$profile, $method, $path, $reqBody, $config, $php]) {
    $signer = new Signer($config);
    // Same bytes at a fixed time, or the comparison is meaningless.
    $want = $php($method, $path, $reqBody, TOKEN, 1_700_000_000_123);
    $got = $signer->sign($method, $path, $reqBody, TOKEN, 1_700_000_000_123)->headers();
    if ($want !== $got) {
        fwrite(STDERR, "MISMATCH $profile $method:\n" . var_export([$got, $want], true) . "\n");
        $failed = true;
        continue;
    }
    $m = measure([
        'payauth' => static fn () => $signer->sign($method, $path, $reqBody, TOKEN)->headers(),
        'php' => static fn () => $php($method, $path, $reqBody, TOKEN),
    ], $rounds, $iters);
    $ratios[] = $ratio = $m['payauth'] / $m['php'];
    printf("%-24s %8s %10.0f %10.0f %7.2f\n", "$profile $method", strlen($reqBody) . ' B', $m['payauth'], $m['php'], $ratio);
}

// Where payauth's time goes, step by step, for the cheapest scheme (paynet-reports GET: the
// native work is one HMAC of 10 bytes) and the costliest (netzme POST 1 KiB).
$n = Native::get();
$ffi = $n->ffi;
$handle = new ReflectionProperty(Signer::class, 'handle');
foreach ([$cases[0], $cases[3]] as [$profile, $method, $path, $reqBody, $config, $php]) {
    $signer = new Signer($config);
    $h = $handle->getValue($signer);
    $ml = strlen($method);
    $pl = strlen($path);
    $bl = strlen($reqBody);
    $tl = strlen(TOKEN);
    $text = $signer->sign($method, $path, $reqBody, TOKEN)->text();
    $req = $method . "\0" . $path . "\0" . TOKEN . "\0\0" . $reqBody;
    $rl = strlen($req);
    $buf = $ffi->new('char[' . Native::PACKED_INITIAL . ']');
    $len = $ffi->new('size_t');
    $lenAddr = FFI::addr($len);
    $b = measure([
        'FFI call, no arguments' => static fn () => $ffi->payauth_version(),
        // Return PAYAUTH_NULL_ARGUMENT at once: the cost of passing 8 / 15 arguments through FFI.
        'FFI packed call, NULL signer' => static fn () => $ffi->payauth_signer_sign_packed(null, $req, $rl, 0, $buf, Native::PACKED_INITIAL, $lenAddr, null),
        'FFI sign call, NULL signer' => static fn () => $ffi->payauth_signer_sign(null, $method, $ml, $path, $pl, $reqBody, $bl, TOKEN, $tl, 0, null, 0, 0, $n->outAddr, null),
        // The hot path (explain off): one crossing, headers copied into a reused buffer.
        'packed: native sign' => static fn () => $ffi->payauth_signer_sign_packed($h, $req, $rl, 0, $buf, Native::PACKED_INITIAL, $lenAddr, $n->err),
        '  + FFI::string' => static function () use ($ffi, $h, $req, $rl, $buf, $lenAddr, $len, $n): string {
            $ffi->payauth_signer_sign_packed($h, $req, $rl, 0, $buf, Native::PACKED_INITIAL, $lenAddr, $n->err);
            return FFI::string($buf, $len->cdata);
        },
        '  + Result (Native::signPacked)' => static fn () => $n->signPacked($h, false, $req, 0),
        // The object path (explain=true uses it; explain off used it before the packed calls).
        'object: sign + headers_free' => static function () use ($ffi, $n, $h, $method, $ml, $path, $pl, $reqBody, $bl, $tl): void {
            $ffi->payauth_signer_sign($h, $method, $ml, $path, $pl, $reqBody, $bl, TOKEN, $tl, 0, null, 0, 0, $n->outAddr, $n->err);
            $ffi->payauth_headers_free($n->out);
        },
        '  + headers_text, Result' => static function () use ($ffi, $n, $h, $method, $ml, $path, $pl, $reqBody, $bl, $tl): void {
            $ffi->payauth_signer_sign($h, $method, $ml, $path, $pl, $reqBody, $bl, TOKEN, $tl, 0, null, 0, 0, $n->outAddr, $n->err);
            $n->takeResult(false);
        },
        'Result::headers() parse alone' => static fn () => (new Result($text))->headers(),
        'Signer::sign() (packed)' => static fn () => $signer->sign($method, $path, $reqBody, TOKEN),
        'Signer::sign()->headers()' => static fn () => $signer->sign($method, $path, $reqBody, TOKEN)->headers(),
        'Signer::sign()->lines()' => static fn () => $signer->sign($method, $path, $reqBody, TOKEN)->lines(),
        'Signer::sign(explain: true)' => static fn () => $signer->sign($method, $path, $reqBody, TOKEN, 0, null, true),
        'pure PHP' => static fn () => $php($method, $path, $reqBody, TOKEN),
    ], $rounds, $iters);
    printf("\nbreakdown, %s %s %d B (ns/op):\n", $profile, $method, $bl);
    foreach ($b as $label => $ns) {
        printf("  %-34s %8.0f\n", $label, $ns);
    }
}
if ($ratios !== []) {
    printf("\nratio payauth/PHP: best %.2f, worst %.2f (target <= 0.50)\n", min($ratios), max($ratios));
}
exit($failed ? 1 : 0);
