<?php

/** PHPUnit bootstrap: the package autoloader (no Composer) plus PayAuth\Tests\ => tests/. */

declare(strict_types=1);

error_reporting(E_ALL);
ini_set('zend.exception_ignore_args', '0');

require dirname(__DIR__) . '/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'PayAuth\\Tests\\', 14) === 0) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 14)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
