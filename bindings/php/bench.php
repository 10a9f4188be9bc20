<?php

/**
 * Benchmark (prints, never judges): a full sign through payauth (Signer::sign()->headers())
 * against the same scheme in pure PHP (hash_hmac, hash, openssl_sign), per scheme, GET and a
 * 1 KiB POST; each ratio beside its issue-13 target (<= 1.0 for every scheme, <= 0.6 for the
 * body-hashing schemes at 1 KiB) with met/unmet. Both sides are first checked to give the same
 * headers (exit 1 otherwise). Then where payauth's time goes for snap POST.
 *
 * Usage: php bench.php   (PAYAUTH_BENCH_QUICK=1 for a few seconds)
 */

declare(strict_types=1);

require __DIR__ . '/autoload.php';

use PayAuth\Internal\Native;
use PayAuth\Library;
use PayAuth\Result;
use PayAuth\Signer;

const TOKEN = '4c8e2c551a86c8fa484bdaf47ae690db94da325a335a4e7d191058e6e6280555';
const T = 1_700_000_000_123;
const EXT = '12345678901234567890123456789012';
const FIELDS = ['ACMEMYK1', 'RPPEMYKL', '20240115ACMEMYK1861OBW00000002', '100.00'];
const AZ_SECRET = 'HMAC_cdeijed78y3jdnjdfhjjnm';

$quick = getenv('PAYAUTH_BENCH_QUICK') === '1';
[$rounds, $iters] = $quick ? [3, 1000] : [15, 20000];
$keyFile = dirname(__DIR__, 2) . '/tests/vectors/keys/rsa2048-pkcs1.pem';
$key = openssl_pkey_get_private((string) file_get_contents($keyFile));
$cfg = [
    'paynet-reports' => ['profile' => 'paynet-reports', 'client_id' => 'id', 'client_secret' => 'my_client_secret'],
    'netzme' => ['profile' => 'netzme', 'client_id' => 'TokoNetmeClientId', 'client_secret' => 'MaREaULkzAUTAFYg'],
    'snap' => ['profile' => 'snap', 'client_id' => 'TokoNetmeClientId', 'client_secret' => 'f013bc2810be469790dc99773c08812e'],
    'azupay' => ['profile' => 'azupay', 'api_key' => 'SECR528792_ckid445474d1d', 'hmac' => ['secret' => AZ_SECRET, 'hash' => 'sha256',
        'key_encoding' => 'utf8', 'output' => 'hex', 'template' => "{method}\n{path}\n{query}\n{timestamp}\n{body_sha256}",
        'timestamp_format' => 'unix_ms', 'signature_header' => 'X-Azupay-Signature', 'timestamp_header' => 'X-Azupay-Timestamp']],
    'paytia' => ['profile' => 'paytia', 'api_key' => 'pk_live_51H8xyz', 'client_id' => 'c', 'client_secret' => 's'],
    'paynet' => ['profile' => 'paynet', 'client_id' => 'c', 'client_secret' => 's', 'signature_key' => '4F2A9C1D7E3B5A60', 'private_key_file' => $keyFile],
];
const BODY_HASHING = ['netzme', 'snap', 'azupay'];

function now_ms(?int $t): int
{
    return $t ?? (int) (microtime(true) * 1000);
}

/** The pure-PHP signer of $scheme; $t fixes the time and random ids. */
function native(string $scheme, array $c, string $m, string $p, string $b, mixed $key): Closure
{
    return match ($scheme) {
        'paynet-reports' => static function (?int $t = null) use ($c): array {
            $ts = (string) intdiv(now_ms($t), 1000);
            return ['Authorization' => 'Bearer ' . TOKEN, 'X-Timestamp' => $ts, 'X-Signature' => hash_hmac('sha256', $ts, $c['client_secret'])];
        },
        'netzme' => static function (?int $t = null) use ($c, $m, $p, $b): array {
            $ts = (string) now_ms($t);
            $auth = 'Bearer ' . TOKEN;
            $sig = hash_hmac('sha256', "path=$p&method=$m&token=$auth&timestamp=$ts&body=$b", $c['client_secret'] . "-$ts-$auth");
            return ['Authorization' => $auth, 'Request-Time' => $ts, 'Signature' => $sig, 'Client-Id' => $c['client_id'], 'Content-Type' => 'application/json'];
        },
        'snap' => static function (?int $t = null) use ($c, $m, $p, $b): array {
            $ts = (new DateTimeImmutable('@' . intdiv(now_ms($t), 1000)))->setTimezone(new DateTimeZone('+07:00'))->format('Y-m-d\TH:i:sP');
            $sig = base64_encode(hash_hmac('sha512', "$m:$p:" . TOKEN . ':' . hash('sha256', $b) . ":$ts", $c['client_secret'], true));
            $ext = $t !== null ? EXT : sprintf('%016d%016d', random_int(0, 9999999999999999), random_int(0, 9999999999999999));
            return ['Authorization' => 'Bearer ' . TOKEN, 'X-TIMESTAMP' => $ts, 'X-SIGNATURE' => $sig, 'X-PARTNER-ID' => $c['client_id'],
                'X-EXTERNAL-ID' => $ext, 'Content-Type' => 'application/json'];
        },
        'azupay' => static function (?int $t = null) use ($c, $m, $p, $b): array {
            $ts = (string) now_ms($t);
            [$path, $query] = explode('?', $p, 2) + [1 => ''];
            $sig = hash_hmac('sha256', "$m\n$path\n$query\n$ts\n" . hash('sha256', $b), AZ_SECRET);
            return ['Authorization' => $c['api_key'], 'X-Azupay-Timestamp' => $ts, 'X-Azupay-Signature' => $sig];
        },
        'paytia' => static fn (?int $t = null): array => ['X-API-KEY' => $c['api_key'], 'ACCESS-TOKEN' => TOKEN],
        'paynet' => static function (?int $t = null) use ($c, $key): array {
            openssl_sign(implode('', FIELDS), $sig, $key, OPENSSL_ALGO_SHA256);
            return ['Authorization' => 'Bearer ' . TOKEN, 'X-Signature' => base64_encode($sig), 'X-Signature-Key' => $c['signature_key']];
        },
    };
}

/** The payauth signer of $scheme. */
function ours(string $scheme, Signer $s, string $m, string $p, string $b): Closure
{
    return match ($scheme) {
        'snap' => static fn (?int $t = null): array => $s->sign($m, $p, $b, TOKEN, $t ?? 0, externalId: $t !== null ? EXT : null)->headers(),
        'azupay' => static fn (?int $t = null): array => $s->sign($m, $p, $b, null, $t ?? 0)->headers(),
        'paynet' => static fn (?int $t = null): array => $s->sign($m, $p, $b, TOKEN, stringToSign: FIELDS)->headers(),
        default => static fn (?int $t = null): array => $s->sign($m, $p, $b, TOKEN, $t ?? 0)->headers(),
    };
}

/** ns/op of each closure: the best of interleaved rounds (noise on shared cores only adds). */
function measure(array $fs, int $rounds, int $iters): array
{
    $samples = array_fill_keys(array_keys($fs), []);
    foreach ($fs as $f) {
        for ($i = 0; $i < 100; $i++) {
            $f();
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

$body = '{"merchantId":"M_pXAFWzCg","note":"' . str_repeat('x', 1024);
$body = substr($body, 0, 1022) . '"}';
printf("payauth %s via FFI (%s), PHP %s, %s: best of %d interleaved rounds x %d iterations, ns/op\n",
    Library::version(), Library::mode(), PHP_VERSION, $quick ? 'quick' : 'full', $rounds, $iters);
printf("%-16s %-12s %9s %9s %6s %8s  %s\n", 'scheme', 'request', 'payauth', 'php', 'ratio', 'target', 'verdict');
$failed = false;
foreach ($cfg as $scheme => $c) {
    foreach (['GET', 'POST'] as $m) {
        [$p, $b] = $m === 'GET' ? ['/v1/balance?id=7', ''] : ['/v1/pay?ref=A1', $body];
        $signer = new Signer($c);
        $php = native($scheme, $c, $m, $p, $b, $key);
        $pa = ours($scheme, $signer, $m, $p, $b);
        if ($php(T) !== $pa(T)) {
            fwrite(STDERR, "MISMATCH $scheme $m:\n" . var_export([$pa(T), $php(T)], true) . "\n");
            $failed = true;
            continue;
        }
        $r = measure(['payauth' => $pa, 'php' => $php], $rounds, $scheme === 'paynet' ? max(20, intdiv($iters, 50)) : $iters);
        $ratio = $r['payauth'] / $r['php'];
        $target = in_array($scheme, BODY_HASHING, true) && $m === 'POST' ? 0.6 : 1.0;
        printf("%-16s %-12s %9.0f %9.0f %6.2f %8s  %s\n", $scheme, $m === 'GET' ? 'GET' : 'POST ' . strlen($b) . ' B',
            $r['payauth'], $r['php'], $ratio, sprintf('<= %.1f', $target), $ratio <= $target ? 'met' : 'unmet');
    }
}

// Where a snap POST goes: a no-op crossing, the packed call alone, the result decoding, the rest.
$n = Native::get();
$signer = new Signer($cfg['snap']);
$h = (new ReflectionProperty(Signer::class, 'handle'))->getValue($signer);
$req = Native::request('POST', '/v1/pay?ref=A1', $body, TOKEN, [null, null, null, null]);
$spill = $n->ffi->new('char*');
$data = FFI::string($n->out, 0);
$n->ffi->payauth_signer_sign_packed($h, $req, strlen($req), 0, 0, $n->out, Native::CAP, $n->lenAddr, FFI::addr($spill), $n->err);
$data = FFI::string($n->out, $n->len->cdata);
$b = measure([
    'no-op crossing' => static fn () => $n->ffi->payauth_version(),
    'packed call' => static fn () => $n->ffi->payauth_signer_sign_packed($h, $req, strlen($req), 0, 0, $n->out, Native::CAP, $n->lenAddr, FFI::addr($spill), $n->err),
    'decode' => static fn () => (new Result($data))->headers(),
    'total' => static fn () => $signer->sign('POST', '/v1/pay?ref=A1', $body, TOKEN)->headers(),
], $rounds, $iters);
printf("\nwhere a snap POST 1 KiB goes (ns/op): no-op crossing %.0f, packed call %.0f, decode %.0f, PHP rest %.0f, total %.0f\n",
    $b['no-op crossing'], $b['packed call'], $b['decode'], $b['total'] - $b['packed call'] - $b['decode'], $b['total']);
exit($failed ? 1 : 0);
