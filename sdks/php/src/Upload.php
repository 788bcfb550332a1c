<?php

declare(strict_types=1);

namespace SbmCrm;

/** Turns bytes or a stream into the `\SplFileObject` the generated multipart operations take. */
final class Upload
{
    private const TYPES = [
        "\xff\xd8\xff" => 'jpg',
        "\x89PNG" => 'png',
        'GIF8' => 'gif',
        'RIFF' => 'webp',
        '%PDF' => 'pdf',
    ];

    /** @var list<string> temporary files removed at shutdown */
    private static array $temporary = [];

    /**
     * @param string|resource|\Psr\Http\Message\StreamInterface|\SplFileObject $content the bytes
     *        (or a stream of them); the part's file name gets the extension of the detected image type
     */
    public static function file(mixed $content, ?string $filename = null): \SplFileObject
    {
        if ($content instanceof \SplFileObject) {
            return $content;
        }
        if (is_resource($content)) {
            $content = (string) stream_get_contents($content);
        } elseif ($content instanceof \Psr\Http\Message\StreamInterface) {
            $content = (string) $content;
        }
        if (!is_string($content)) {
            throw new \InvalidArgumentException('A file is an \SplFileObject, a string of bytes or a stream');
        }
        if ($filename === null) {
            $extension = 'bin';
            foreach (self::TYPES as $magic => $ext) {
                if (str_starts_with($content, $magic)) {
                    $extension = $ext;
                    break;
                }
            }
            $filename = 'upload.' . $extension;
        }
        $dir = sys_get_temp_dir() . '/sbmcrm-' . bin2hex(random_bytes(8));
        mkdir($dir, 0700);
        $path = $dir . '/' . basename($filename);
        file_put_contents($path, $content);
        if (self::$temporary === []) {
            register_shutdown_function(static function (): void {
                foreach (self::$temporary as $file) {
                    @unlink($file);
                    @rmdir(dirname($file));
                }
            });
        }
        self::$temporary[] = $path;

        return new \SplFileObject($path, 'rb');
    }
}
