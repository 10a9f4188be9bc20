<?php

/**
 * Fork-safety check run by ForkTest in its own process (so that children can exit() normally,
 * running destructors, as php-fpm workers do): a Client used before pcntl_fork() works in N
 * children. Each child signs with the inherited token and sends the request, invalidates that
 * token, signs again (a new token) and sends again.
 *
 * Usage: php fork_children.php CONFIG.json N   — prints one JSON line:
 *   {"codes":[0,...],"parent":200,"first":"Bearer ...","hung":0}
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';
require dirname(__DIR__) . '/Support/Gateway.php';
require dirname(__DIR__) . '/Support/TempDir.php';

use PayAuth\Client;
use PayAuth\Tests\Support\Gateway;

/** The child's work; returns its exit code (0 = all good). */
function child(Client $client): int
{
    try {
        $r = $client->signRequest('GET', '/echo/paynet/fork');
        $sent = (string) $r->get('Authorization');
        if (Gateway::send('GET', '/echo/paynet/fork', $r->lines())[0] !== 200) {
            return 2;
        }
        $client->invalidate($sent);
        $r = $client->signRequest('GET', '/echo/paynet/fork');
        if ($r->get('Authorization') === $sent) {
            return 3;
        }
        return Gateway::send('GET', '/echo/paynet/fork', $r->lines())[0] === 200 ? 0 : 4;
    } catch (Throwable $e) {
        fwrite(STDERR, 'child ' . getmypid() . ': ' . get_class($e) . ': ' . $e->getMessage() . "\n");
        return 5;
    }
}

$client = new Client((string) file_get_contents($argv[1]));
$first = (string) $client->signRequest('GET', '/echo/paynet/fork')->get('Authorization');
$pids = [];
for ($i = 0; $i < (int) $argv[2]; $i++) {
    $pid = pcntl_fork();
    if ($pid === -1) {
        fwrite(STDERR, "fork failed\n");
        exit(1);
    }
    if ($pid === 0) {
        exit(child($client)); // normal exit: the child's copy of the client is freed here
    }
    $pids[] = $pid;
}
$deadline = microtime(true) + 60;
$codes = [];
$hung = 0;
foreach ($pids as $pid) {
    while (($r = pcntl_waitpid($pid, $status, WNOHANG)) === 0 && microtime(true) < $deadline) {
        usleep(20000);
    }
    if ($r === 0) {
        posix_kill($pid, SIGKILL);
        pcntl_waitpid($pid, $status);
        $hung++;
    }
    $codes[] = pcntl_wifexited($status) ? pcntl_wexitstatus($status) : -1;
}
$r = $client->signRequest('GET', '/echo/paynet/fork');
$parent = Gateway::send('GET', '/echo/paynet/fork', $r->lines())[0];
echo json_encode(['codes' => $codes, 'parent' => $parent, 'first' => $first, 'hung' => $hung]), "\n";
