<?php

declare(strict_types=1);

// The suite runs without Composer: Debian's Guzzle (php-guzzlehttp-guzzle) plus a PSR-4 autoloader
// for src/ (SbmCrm\) and generated/ (SbmCrm\Generated\). With Composer, vendor/autoload.php does both.
$composer = __DIR__ . '/../vendor/autoload.php';
if (is_file($composer)) {
    require $composer;
} else {
    require_once 'GuzzleHttp/autoload.php';
    spl_autoload_register(static function (string $class): void {
        foreach (['SbmCrm\\Generated\\' => __DIR__ . '/../generated/', 'SbmCrm\\' => __DIR__ . '/../src/'] as $prefix => $dir) {
            if (str_starts_with($class, $prefix)) {
                $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
                if (is_file($file)) {
                    require $file;
                }

                return;
            }
        }
    });
}
